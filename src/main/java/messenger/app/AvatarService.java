package messenger.app;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail.Rule;
import messenger.account.ProfilePicture;
import messenger.media.AttachmentStore;
import messenger.media.AvatarStore;
import messenger.media.PresignedRequest;

/**
 * Profile pictures: a user uploads one straight to the object store, then sets it; their contacts
 * (and they) fetch it over a short-lived URL. The replaced picture is deleted from the store once
 * the new one is recorded.
 */
public final class AvatarService {

  private final ClusterSharding sharding;
  private final AvatarStore store;
  private final Contacts contacts;
  private final Duration askTimeout;

  public AvatarService(ActorSystem<?> system, AvatarStore store, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.store = store;
    this.contacts = new Contacts(sharding, askTimeout);
    this.askTimeout = askTimeout;
  }

  public AttachmentStore.UploadTicket upload(String userId, String mime, Long size) {
    if (size == null) throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "size");
    return store.signUpload(userId, mime, size);
  }

  /** Shows the uploaded picture from now on; a retry succeeds again. */
  public CompletionStage<AvatarStore.Picture> set(String userId, String uploadId) {
    if (uploadId == null) {
      return CompletableFuture.failedFuture(
          DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "uploadId"));
    }
    return store
        .claim(userId, uploadId)
        .thenCompose(
            picture ->
                picture(userId)
                    .ask(
                        (ActorRef<ProfilePicture.State> replyTo) ->
                            new ProfilePicture.Set(picture.id(), picture.mime(), replyTo),
                        askTimeout)
                    .thenCompose(replaced -> forget(userId, replaced))
                    .thenApply(done -> picture));
  }

  /** Shows no picture from now on; the old one is deleted. */
  public CompletionStage<akka.Done> clear(String userId) {
    return picture(userId)
        .ask(ProfilePicture.Clear::new, askTimeout)
        .thenCompose(replaced -> forget(userId, replaced));
  }

  /**
   * Where to fetch {@code userId}'s picture: for them and their contacts; {@code not_found} else.
   */
  public CompletionStage<PresignedRequest> download(String requesterId, String userId) {
    CompletionStage<Boolean> allowed =
        requesterId.equals(userId)
            ? CompletableFuture.completedFuture(true)
            : contacts.areContacts(requesterId, userId);
    return allowed
        .thenCompose(
            ok -> {
              if (!ok) throw DomainException.of(ErrorCode.NOT_FOUND, Rule.NO_USER, userId);
              return picture(userId).ask(ProfilePicture.Get::new, askTimeout);
            })
        .thenApply(
            state -> {
              if (!state.shown()) throw new DomainException(ErrorCode.NOT_FOUND);
              return store.signDownload(
                  userId, new AvatarStore.Picture(state.pictureId(), state.mime()));
            });
  }

  private CompletionStage<akka.Done> forget(String userId, ProfilePicture.State replaced) {
    return replaced.shown()
        ? store.forget(userId, replaced.pictureId())
        : CompletableFuture.completedFuture(akka.Done.getInstance());
  }

  private EntityRef<ProfilePicture.Command> picture(String userId) {
    return sharding.entityRefFor(ProfilePicture.ENTITY_KEY, userId);
  }
}
