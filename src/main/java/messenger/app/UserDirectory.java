package messenger.app;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.auth.Account;
import messenger.auth.Accounts;
import messenger.delivery.UserInbox;

/**
 * Finding people: by exact username, to start a conversation with them, and by user id, to show a
 * contact's name. A lookup by exact username tells no more than registration already does (a taken
 * name is {@code username_taken}); a user id is resolved for {@link Contacts} only, like presence.
 */
public final class UserDirectory {

  /**
   * Who a user is, as other people see them.
   *
   * @param deleted the user closed their account: no username, the display name "Deleted user"
   */
  public record UserView(String userId, String username, String displayName, boolean deleted) {}

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Contacts contacts;

  public UserDirectory(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.contacts = new Contacts(sharding, askTimeout);
  }

  /** Fails with {@code BAD_REQUEST} for a malformed username, {@code NOT_FOUND} for a free one. */
  public CompletionStage<UserView> byUsername(String username) {
    // Checked first so a lookup never starts an entity for a name that could not exist.
    if (!Accounts.isValidUsername(username)) {
      return CompletableFuture.failedFuture(
          new DomainException(
              ErrorCode.BAD_REQUEST,
              ErrorDetail.between(
                  Rule.USERNAME_FORMAT, "username", Accounts.USERNAME_MIN, Accounts.USERNAME_MAX)));
    }
    return sharding
        .entityRefFor(Account.ENTITY_KEY, username)
        .ask(Account.GetAccount::new, askTimeout)
        .thenApply(
            account -> {
              if (!account.registered()) throw notFound(username);
              return new UserView(account.userId(), username, account.displayName(), false);
            });
  }

  /**
   * Fails with {@code NOT_FOUND} unless {@code userId} is the requester or one of their contacts.
   */
  public CompletionStage<UserView> profile(String requesterId, String userId) {
    return contacts
        .areContacts(requesterId, userId)
        .thenCompose(
            contact -> {
              if (!contact) throw notFound(userId);
              return sharding
                  .entityRefFor(UserInbox.ENTITY_KEY, userId)
                  .ask(UserInbox.GetProfile::new, askTimeout);
            })
        .thenApply(
            profile -> {
              if (profile.closed()) {
                return new UserView(userId, "", profile.displayName(), true);
              }
              if (!profile.registered()) throw notFound(userId);
              return new UserView(userId, profile.username(), profile.displayName(), false);
            });
  }

  private static DomainException notFound(String who) {
    return DomainException.of(ErrorCode.NOT_FOUND, Rule.NO_USER, who);
  }
}
