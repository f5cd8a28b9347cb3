package messenger.auth;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.time.Instant;
import messenger.CborSerializable;
import messenger.ErrorCode;
import messenger.storage.EntityRestarts;

/**
 * The login record of one username: which user id owns it, the password hash and the display name.
 * Sharded and event-sourced, keyed by username, so a username is taken exactly once across the
 * cluster. It never sees a clear-text password; {@link Accounts} hashes and checks them.
 */
public final class Account
    extends EventSourcedBehaviorWithEnforcedReplies<Account.Command, Account.Event, Account.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Account");

  // --- protocol ---

  public sealed interface Command extends CborSerializable
      permits Register, GetAccount, ChangePassword, ChangeDisplayName, Close {}

  /**
   * Claims the username for {@code userId}. Refused with {@code username_taken} if another user id
   * holds it; answered {@code Done} without a new event if this user id already does.
   */
  public record Register(
      String userId, String passwordHash, String displayName, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  public record GetAccount(ActorRef<AccountView> replyTo) implements Command {}

  /**
   * Replaces the password hash. The caller has checked the old password; refused with {@code
   * not_found} unless the username belongs to {@code userId}.
   */
  public record ChangePassword(
      String userId, String passwordHash, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * Closes the account of {@code userId} for good: no login from now on, the password hash and
   * display name erased (the events that held them are deleted), the username kept so that nobody
   * else can take it. Done also if it is closed already; refused like {@link ChangePassword}.
   */
  public record Close(String userId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Replaces the display name (already validated); refused like {@link ChangePassword}. */
  public record ChangeDisplayName(
      String userId, String displayName, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * What {@link GetAccount} answers; {@code registered == false} leaves the other fields null.
   *
   * @param closed the username belonged to an account that was closed: nobody logs in with it, and
   *     nobody registers it again
   */
  public record AccountView(
      boolean registered, String userId, String passwordHash, String displayName, boolean closed)
      implements CborSerializable {
    static final AccountView UNREGISTERED = new AccountView(false, null, null, null, false);
    static final AccountView CLOSED = new AccountView(false, null, null, null, true);
  }

  public sealed interface Event extends CborSerializable
      permits AccountRegistered,
          PasswordChanged,
          DisplayNameChanged,
          AccountClosed,
          AccountErased {}

  public record AccountRegistered(
      String username, String userId, String passwordHash, String displayName, Instant at)
      implements Event {}

  public record PasswordChanged(String username, String passwordHash, Instant at)
      implements Event {}

  public record DisplayNameChanged(String username, String displayName, Instant at)
      implements Event {}

  public record AccountClosed(String username, String userId, Instant at) implements Event {}

  /**
   * Written right after {@link AccountClosed}: the snapshot it leads to deletes every earlier
   * event, and with them the password hashes and display names they held.
   */
  public record AccountErased(String username) implements Event {}

  public sealed interface State extends CborSerializable permits Unregistered, Registered, Closed {}

  public record Unregistered() implements State {}

  public record Registered(String userId, String passwordHash, String displayName)
      implements State {
    Registered withPasswordHash(String hash) {
      return new Registered(userId, hash, displayName);
    }

    Registered withDisplayName(String name) {
      return new Registered(userId, passwordHash, name);
    }
  }

  /** The account was closed; {@code userId} is kept so that a repeated close is recognised. */
  public record Closed(String userId) implements State {}

  // --- behavior ---

  private final String username;

  private Account(String username) {
    super(PersistenceId.of(ENTITY_KEY.name(), username), EntityRestarts.onJournalFailure());
    this.username = username;
  }

  public static Account create(String username) {
    return new Account(username);
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> Account.create(ctx.getEntityId())));
  }

  @Override
  public State emptyState() {
    return new Unregistered();
  }

  /**
   * A snapshot after every event, deleting the events before the one before it: an account has a
   * handful of events, and this is what makes {@link AccountErased} erase.
   */
  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(1, 1).withDeleteEventsOnSnapshot();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forStateType(Unregistered.class)
        .onCommand(Register.class, this::onRegister)
        .onCommand(
            GetAccount.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), AccountView.UNREGISTERED))
        .onCommand(ChangePassword.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(
            ChangeDisplayName.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(Close.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()));
    builder
        .forStateType(Registered.class)
        .onCommand(Register.class, this::onRegisterAgain)
        .onCommand(
            GetAccount.class,
            (state, cmd) ->
                Effect()
                    .reply(
                        cmd.replyTo(),
                        new AccountView(
                            true,
                            state.userId(),
                            state.passwordHash(),
                            state.displayName(),
                            false)))
        .onCommand(ChangePassword.class, this::onChangePassword)
        .onCommand(ChangeDisplayName.class, this::onChangeDisplayName)
        .onCommand(Close.class, this::onClose);
    builder
        .forStateType(Closed.class)
        .onCommand(
            Register.class,
            (state, cmd) ->
                Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.USERNAME_TAKEN.wire())))
        .onCommand(
            GetAccount.class, (state, cmd) -> Effect().reply(cmd.replyTo(), AccountView.CLOSED))
        .onCommand(ChangePassword.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(
            ChangeDisplayName.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(
            Close.class,
            (state, cmd) ->
                Effect()
                    .reply(
                        cmd.replyTo(),
                        state.userId().equals(cmd.userId()) ? StatusReply.ack() : notFound()));
    return builder.build();
  }

  private ReplyEffect<Event, State> onRegister(Unregistered state, Register cmd) {
    if (isBlank(cmd.userId()) || isBlank(cmd.passwordHash()) || isBlank(cmd.displayName())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.BAD_REQUEST.wire()));
    }
    return Effect()
        .persist(
            new AccountRegistered(
                username, cmd.userId(), cmd.passwordHash(), cmd.displayName(), Instant.now()))
        .thenReply(cmd.replyTo(), newState -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onRegisterAgain(Registered state, Register cmd) {
    if (state.userId().equals(cmd.userId())) {
      // A retry of the registration that succeeded: same answer, nothing new to record.
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.USERNAME_TAKEN.wire()));
  }

  private ReplyEffect<Event, State> onChangePassword(Registered state, ChangePassword cmd) {
    if (!state.userId().equals(cmd.userId())) return Effect().reply(cmd.replyTo(), notFound());
    if (isBlank(cmd.passwordHash())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.BAD_REQUEST.wire()));
    }
    return Effect()
        .persist(new PasswordChanged(username, cmd.passwordHash(), Instant.now()))
        .thenReply(cmd.replyTo(), newState -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onChangeDisplayName(Registered state, ChangeDisplayName cmd) {
    if (!state.userId().equals(cmd.userId())) return Effect().reply(cmd.replyTo(), notFound());
    if (isBlank(cmd.displayName())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.BAD_REQUEST.wire()));
    }
    if (cmd.displayName().equals(state.displayName())) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    return Effect()
        .persist(new DisplayNameChanged(username, cmd.displayName(), Instant.now()))
        .thenReply(cmd.replyTo(), newState -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onClose(Registered state, Close cmd) {
    if (!state.userId().equals(cmd.userId())) return Effect().reply(cmd.replyTo(), notFound());
    return Effect()
        .persist(
            java.util.List.of(
                new AccountClosed(username, cmd.userId(), Instant.now()),
                new AccountErased(username)))
        .thenReply(cmd.replyTo(), newState -> StatusReply.ack());
  }

  private static StatusReply<Done> notFound() {
    return StatusReply.error(ErrorCode.NOT_FOUND.wire());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder
        .forStateType(Unregistered.class)
        .onEvent(
            AccountRegistered.class,
            (state, event) ->
                new Registered(event.userId(), event.passwordHash(), event.displayName()));
    builder
        .forStateType(Registered.class)
        .onEvent(
            PasswordChanged.class, (state, event) -> state.withPasswordHash(event.passwordHash()))
        .onEvent(
            DisplayNameChanged.class, (state, event) -> state.withDisplayName(event.displayName()))
        .onEvent(AccountClosed.class, (state, event) -> new Closed(event.userId()));
    builder.forStateType(Closed.class).onEvent(AccountErased.class, (state, event) -> state);
    return builder.build();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
