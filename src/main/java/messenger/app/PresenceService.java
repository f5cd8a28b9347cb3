package messenger.app;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail.Rule;
import messenger.chat.Notice;
import messenger.delivery.UserInbox;
import messenger.safety.BlockService;

/**
 * Whether a user is online, for their {@link Contacts} only. To anyone else the user does not exist
 * (404), so presence does not reveal who has an account. Between two users of whom one blocks the
 * other, each sees the other offline, with no last seen (docs/security.md, "Blocking").
 */
public final class PresenceService {

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Contacts contacts;
  private final BlockService blocks;

  public PresenceService(ActorSystem<?> system, Duration askTimeout, BlockService blocks) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.contacts = new Contacts(sharding, askTimeout);
    this.blocks = blocks;
  }

  public CompletionStage<Notice.Presence> presence(String requesterId, String userId) {
    return contacts
        .areContacts(requesterId, userId)
        .thenCompose(
            contact -> {
              if (!contact) throw DomainException.of(ErrorCode.NOT_FOUND, Rule.NO_USER, userId);
              return blocks.eitherBlocks(requesterId, userId);
            })
        .thenCompose(
            blocked -> {
              if (blocked) {
                return CompletableFuture.completedFuture(new Notice.Presence(userId, false, null));
              }
              return sharding
                  .entityRefFor(UserInbox.ENTITY_KEY, userId)
                  .ask(UserInbox.GetPresence::new, askTimeout);
            });
  }
}
