package messenger.media;

import akka.Done;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;

/**
 * Profile pictures in the object store, beside the attachments: an upload lands under {@code
 * pending/avatars/<user>/<id>} (collected by the {@link OrphanSweeper} like any upload no one took)
 * and setting it moves it to {@code avatars/<user>/<id>}. Only small images: PNG, JPEG or WebP of
 * at most {@link #MAX_BYTES}.
 */
public final class AvatarStore {

  public static final long MAX_BYTES = 1 << 20;
  public static final Set<String> TYPES = Set.of("image/png", "image/jpeg", "image/webp");
  private static final String SCOPE = AttachmentKeys.AVATAR_SCOPE;
  private static final Duration UPLOAD_VALIDITY = Duration.ofMinutes(10);
  private static final Duration DOWNLOAD_VALIDITY = Duration.ofMinutes(5);

  /** A stored picture: its id (a new one with every change) and type. */
  public record Picture(String id, String mime) {}

  private final ObjectStore store;
  private final UploadLimits limits = new UploadLimits(20);

  public AvatarStore(ObjectStore store) {
    this.store = store;
  }

  /** Signs the upload of a new picture; refused for another type, a larger one or too many. */
  public AttachmentStore.UploadTicket signUpload(String userId, String mime, long size) {
    String type = mime == null ? "" : mime.toLowerCase(Locale.ROOT).strip();
    if (!TYPES.contains(type)) throw new DomainException(ErrorCode.TYPE_NOT_ALLOWED);
    if (size < 1 || size > MAX_BYTES) {
      throw new DomainException(
          ErrorCode.TOO_LARGE, ErrorDetail.atMost(Rule.RANGE, "size", MAX_BYTES));
    }
    if (!limits.tryStart(userId)) throw new DomainException(ErrorCode.RATE_LIMITED);
    String id = UUID.randomUUID().toString();
    PresignedRequest put =
        store.presignUpload(AttachmentKeys.pending(SCOPE, userId, id), type, size, UPLOAD_VALIDITY);
    return new AttachmentStore.UploadTicket(id, AttachmentStore.clientSets(put));
  }

  /**
   * Takes the upload as the user's picture once it is in the store as an allowed image; a retry
   * finds it taken and succeeds again. Fails with {@code upload_not_found} or {@code
   * type_not_allowed}/{@code too_large} for what the store holds.
   */
  public CompletionStage<Picture> claim(String userId, String uploadId) {
    String pending = AttachmentKeys.pending(SCOPE, userId, uploadId);
    String stored = stored(userId, uploadId);
    return store
        .head(pending)
        .thenCompose(
            found -> {
              if (found.isEmpty()) return taken(stored, uploadId);
              Picture picture = checked(uploadId, found.get());
              return store
                  .copy(pending, stored)
                  .thenCompose(copied -> store.delete(pending))
                  .thenApply(deleted -> picture)
                  .exceptionallyCompose(failure -> taken(stored, uploadId));
            });
  }

  public PresignedRequest signDownload(String userId, Picture picture) {
    String name = "avatar." + picture.mime().substring("image/".length());
    return store.presignDownload(
        stored(userId, picture.id()), name, picture.mime(), DOWNLOAD_VALIDITY);
  }

  public CompletionStage<Done> forget(String userId, String pictureId) {
    return store.delete(stored(userId, pictureId));
  }

  private CompletionStage<Picture> taken(String stored, String uploadId) {
    return store
        .head(stored)
        .thenApply(
            found -> {
              if (found.isEmpty()) throw new DomainException(ErrorCode.UPLOAD_NOT_FOUND);
              return checked(uploadId, found.get());
            });
  }

  private static Picture checked(String id, StoredObject object) {
    String type = object.contentType() == null ? "" : object.contentType().toLowerCase(Locale.ROOT);
    if (!TYPES.contains(type)) throw new DomainException(ErrorCode.TYPE_NOT_ALLOWED);
    if (object.size() > MAX_BYTES) throw new DomainException(ErrorCode.TOO_LARGE);
    return new Picture(id, type);
  }

  private static String stored(String userId, String id) {
    return AttachmentKeys.avatar(userId, id);
  }
}
