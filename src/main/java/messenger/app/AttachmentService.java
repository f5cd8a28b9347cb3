package messenger.app;

import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.chat.Attachment;
import messenger.media.AttachmentStore;
import messenger.media.PresignedRequest;

/**
 * Who may upload and download attachments: members of the conversation, and of a message only those
 * who may read it (the history's rules). The files themselves go between the client and the object
 * store over presigned URLs.
 */
public final class AttachmentService {

  private final ConversationService conversations;
  private final AttachmentStore store;

  public AttachmentService(ConversationService conversations, AttachmentStore store) {
    this.conversations = conversations;
    this.store = store;
  }

  /** Signs an upload to a conversation the user is a member of. */
  public CompletionStage<AttachmentStore.UploadTicket> requestUpload(
      String userId, String conversationId, String mime, long size, String name) {
    return conversations
        .access(userId, conversationId)
        .thenApply(access -> store.signUpload(userId, conversationId, mime, size, name));
  }

  /** Signs a download of an attachment of the message at {@code seq}, for one who may read it. */
  public CompletionStage<PresignedRequest> download(
      String userId, String conversationId, long seq, String attachmentId) {
    return conversations
        .entry(userId, conversationId, seq)
        .thenApply(
            message -> {
              for (Attachment a : message.attachments()) {
                if (a.id().equals(attachmentId)) {
                  return store.signDownload(conversationId, message.senderId(), a);
                }
              }
              throw new DomainException(ErrorCode.NOT_FOUND);
            });
  }
}
