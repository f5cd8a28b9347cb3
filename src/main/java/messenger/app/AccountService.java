package messenger.app;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.account.AccountClosure;
import messenger.audit.Audit;
import messenger.auth.Account;
import messenger.auth.Accounts;
import messenger.auth.Revocations;
import messenger.auth.TokenService;
import messenger.delivery.UserInbox;

/**
 * A signed-in user's own account: what it is, its display name, its password. The profile lives in
 * the user's inbox (what contacts see) and the login record in the {@link Account} of the username
 * (what a lookup by username sees); a change goes to the inbox first, then the account, and a retry
 * of the same change repairs a crash in between.
 */
public final class AccountService {

  /** The account as its owner sees it. */
  public record Own(String userId, String username, String displayName) {}

  private final ClusterSharding sharding;
  private final Accounts accounts;
  private final Revocations revocations;
  private final Duration askTimeout;

  public AccountService(
      ActorSystem<?> system, Accounts accounts, Revocations revocations, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.accounts = accounts;
    this.revocations = revocations;
    this.askTimeout = askTimeout;
  }

  public CompletionStage<Own> own(String userId) {
    return profile(userId).thenApply(p -> new Own(userId, p.username(), p.displayName()));
  }

  /**
   * Shows {@code displayName} to contacts from now on; fails with {@code BAD_REQUEST} for a name
   * that breaks the rules (as at registration).
   */
  public CompletionStage<Own> changeDisplayName(String userId, String displayName) {
    String name;
    try {
      if (displayName == null || displayName.isBlank()) {
        throw DomainException.of(
            ErrorCode.BAD_REQUEST, messenger.ErrorDetail.Rule.REQUIRED, "displayName");
      }
      name = Accounts.validDisplayName(displayName, null);
    } catch (DomainException e) {
      return CompletableFuture.failedFuture(e);
    }
    return ConversationService.refusals(
        profile(userId)
            .thenCompose(
                p ->
                    inbox(userId)
                        .<Done>askWithStatus(
                            replyTo -> new UserInbox.ChangeDisplayName(name, replyTo), askTimeout)
                        .thenCompose(
                            done ->
                                account(p.username())
                                    .<Done>askWithStatus(
                                        replyTo ->
                                            new Account.ChangeDisplayName(userId, name, replyTo),
                                        askTimeout))
                        .thenApply(
                            done -> {
                              Audit.accountChanged(userId, "display_name");
                              return new Own(userId, p.username(), name);
                            })));
  }

  /**
   * Replaces the password of the user that {@code token} belongs to and logs out every other
   * device; the device presenting {@code token} stays in. Fails as {@link Accounts#changePassword}
   * does.
   */
  public CompletionStage<Done> changePassword(
      TokenService.Verified token, String current, String next, String address) {
    String userId = token.userId();
    return profile(userId)
        .thenCompose(p -> accounts.changePassword(p.username(), userId, current, next, address))
        .thenCompose(done -> revocations.revokeAllBut(token))
        .thenApply(
            done -> {
              Audit.accountChanged(userId, "password");
              Audit.tokensRevoked(userId, "all_but:" + token.tokenId());
              return done;
            });
  }

  /** Closing takes a write per step and one per group the user leaves. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Closes the account of the user {@code token} belongs to, once {@code password} is theirs: fails
   * as {@link Accounts#verifyPassword} does. Completes when the closure has finished; a closure
   * that a crash interrupts finishes by itself ({@link AccountClosure}).
   */
  public CompletionStage<Done> close(TokenService.Verified token, String password, String address) {
    String userId = token.userId();
    return profile(userId)
        .thenCompose(
            p ->
                accounts
                    .verifyPassword(p.username(), userId, password, address)
                    .thenCompose(
                        ok ->
                            sharding
                                .entityRefFor(AccountClosure.ENTITY_KEY, userId)
                                .<Done>ask(
                                    replyTo -> new AccountClosure.Close(p.username(), replyTo),
                                    CLOSE_TIMEOUT)))
        .thenApply(
            done -> {
              Audit.accountChanged(userId, "closed");
              return done;
            });
  }

  private CompletionStage<UserInbox.Profile> profile(String userId) {
    return inbox(userId)
        .ask(UserInbox.GetProfile::new, askTimeout)
        .thenApply(
            p -> {
              if (!p.registered()) throw new DomainException(ErrorCode.NOT_FOUND);
              return p;
            });
  }

  private EntityRef<UserInbox.Command> inbox(String userId) {
    return sharding.entityRefFor(UserInbox.ENTITY_KEY, userId);
  }

  private EntityRef<Account.Command> account(String username) {
    return sharding.entityRefFor(Account.ENTITY_KEY, username);
  }
}
