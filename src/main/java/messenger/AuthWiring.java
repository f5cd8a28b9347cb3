package messenger;

import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Duration;
import java.util.function.Consumer;
import messenger.auth.RevocationBroadcast;
import messenger.auth.Revocations;
import messenger.auth.TokenLedger.Revocation;
import messenger.auth.UserCreator;
import messenger.delivery.Credential;
import messenger.delivery.UserInbox;

/** How auth reaches the delivery side: new users' inboxes, revocations ending connections. */
final class AuthWiring {

  private AuthWiring() {}

  /** An open WebSocket's token is checked against the node's view of the user's revocations. */
  static Credential.Check credentialCheck(Revocations revocations) {
    return (userId, credential) ->
        revocations.allows(userId, credential.tokenId(), credential.generation());
  }

  /** A new account's profile lives in the user's inbox: registering creates it there. */
  static UserCreator inboxRegistration(ClusterSharding sharding, Duration askTimeout) {
    return (userId, username, displayName) ->
        sharding
            .entityRefFor(UserInbox.ENTITY_KEY, userId)
            .askWithStatus(
                replyTo -> new UserInbox.Register(username, displayName, replyTo), askTimeout);
  }

  /**
   * A revocation reaches every node's cache at once (pub/sub), and the user's inbox ends the
   * connections that used the revoked token.
   */
  static Consumer<Revocation> revocationFanout(
      RevocationBroadcast broadcast, ClusterSharding sharding) {
    return revocation -> {
      broadcast.publish(revocation);
      sharding
          .entityRefFor(UserInbox.ENTITY_KEY, revocation.userId())
          .tell(
              new UserInbox.EndRevokedConnections(
                  revocation.status().generation(),
                  revocation.tokenId(),
                  revocation.status().kept() == null
                      ? null
                      : revocation.status().kept().tokenId()));
    };
  }
}
