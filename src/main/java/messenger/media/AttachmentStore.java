package messenger.media;

import akka.Done;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.chat.Attachment;

/**
 * Attachments in the object store: signing uploads (within the limits), taking the uploads a
 * message names into the conversation's keeping, and signing downloads. Who may do which is the
 * caller's to check (membership, the join point); this class checks what the files are.
 *
 * <p>A message's files are taken before the message is posted: a post that then fails leaves a file
 * kept that no message names (storage, not loss), where the other order could collect the file of a
 * message already acknowledged.
 */
public final class AttachmentStore {

  /** Where the client PUTs the file, and the id a message names it by. */
  public record UploadTicket(String uploadId, PresignedRequest upload) {}

  private final ObjectStore store;
  private final AttachmentSettings settings;
  private final AttachmentRules rules;
  private final UploadLimits limits;
  private final AvatarStore avatars;

  public AttachmentStore(ObjectStore store, AttachmentSettings settings) {
    this.store = store;
    this.settings = settings;
    this.rules = new AttachmentRules(settings);
    this.limits = new UploadLimits(settings.uploadsPerHour());
    this.avatars = new AvatarStore(store);
  }

  public AttachmentSettings settings() {
    return settings;
  }

  /** Profile pictures, kept in the same object store. */
  public AvatarStore avatars() {
    return avatars;
  }

  /** Signs an upload by a member of the conversation (the caller checked that). */
  public UploadTicket signUpload(
      String userId, String conversationId, String mime, long size, String name) {
    rules.upload(mime, size, name);
    if (!limits.tryStart(userId)) throw new DomainException(ErrorCode.RATE_LIMITED);
    String id = UUID.randomUUID().toString();
    PresignedRequest put =
        store.presignUpload(
            AttachmentKeys.pending(conversationId, userId, id),
            AttachmentRules.normalType(mime),
            size,
            settings.uploadUrlValidity());
    return new UploadTicket(id, clientSets(put));
  }

  /**
   * The headers a client must send itself: {@code Host} and {@code Content-Length} are signed too,
   * but every HTTP client sets them from the URL and the body (browsers refuse to be told).
   */
  static PresignedRequest clientSets(PresignedRequest signed) {
    Map<String, String> headers = new HashMap<>();
    signed
        .headers()
        .forEach(
            (name, value) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (!lower.equals("host") && !lower.equals("content-length"))
                headers.put(name, value);
            });
    return new PresignedRequest(signed.url(), signed.method(), headers, signed.expiresAt());
  }

  /**
   * Takes the uploads {@code attachments} name into the conversation's keeping, once each is in the
   * store as described; a retry of the same message finds them taken and succeeds again. Fails with
   * {@code upload_not_found} or {@code upload_mismatch}.
   */
  public CompletionStage<List<Attachment>> claim(
      String senderId, String conversationId, List<Attachment> attachments) {
    if (attachments.isEmpty()) return CompletableFuture.completedFuture(List.of());
    rules.declared(attachments);
    List<CompletableFuture<Done>> claims = new ArrayList<>(attachments.size());
    for (Attachment a : attachments) {
      claims.add(claimOne(senderId, conversationId, a).toCompletableFuture());
    }
    return CompletableFuture.allOf(claims.toArray(CompletableFuture[]::new))
        .thenApply(done -> List.copyOf(attachments));
  }

  /** Signs a download of an attachment of a message the caller may read (the caller checked). */
  public PresignedRequest signDownload(String conversationId, String senderId, Attachment a) {
    return store.presignDownload(
        AttachmentKeys.stored(conversationId, senderId, a.id()),
        a.name(),
        a.mime(),
        settings.downloadUrlValidity());
  }

  /** Deletes what a message's attachments keep in the store (a message deleted for everyone). */
  public CompletionStage<Done> forget(String conversationId, String senderId, List<Attachment> as) {
    List<CompletableFuture<Done>> deletes = new ArrayList<>(as.size());
    for (Attachment a : as) {
      deletes.add(
          store
              .delete(AttachmentKeys.stored(conversationId, senderId, a.id()))
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new))
        .thenApply(done -> Done.getInstance());
  }

  /** Forgets upload allowances that have refilled; call now and then. */
  public void forgetIdleLimits() {
    limits.forgetIdle();
  }

  private CompletionStage<Done> claimOne(String senderId, String conversationId, Attachment a) {
    String pending = AttachmentKeys.pending(conversationId, senderId, a.id());
    String stored = AttachmentKeys.stored(conversationId, senderId, a.id());
    return store
        .head(pending)
        .thenCompose(
            found -> {
              if (found.isEmpty()) return alreadyTaken(stored, a);
              if (!AttachmentRules.matches(a, found.get())) {
                throw new DomainException(ErrorCode.UPLOAD_MISMATCH);
              }
              return store
                  .copy(pending, stored)
                  .thenCompose(copied -> store.delete(pending))
                  // Two sends of the same upload at once: the other one moved it meanwhile.
                  .exceptionallyCompose(failure -> alreadyTaken(stored, a));
            });
  }

  private CompletionStage<Done> alreadyTaken(String stored, Attachment a) {
    return store
        .head(stored)
        .thenApply(
            found -> {
              if (found.isEmpty()) throw new DomainException(ErrorCode.UPLOAD_NOT_FOUND);
              if (!AttachmentRules.matches(a, found.get())) {
                throw new DomainException(ErrorCode.UPLOAD_MISMATCH);
              }
              return Done.getInstance();
            });
  }
}
