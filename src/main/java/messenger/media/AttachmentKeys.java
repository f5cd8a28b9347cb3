package messenger.media;

import java.util.regex.Pattern;
import messenger.DomainException;
import messenger.ErrorCode;

/**
 * Where an attachment's bytes are kept in the object store. An upload lands under {@code pending/},
 * named by conversation, uploader and id, so the key itself says who may send it where; a message
 * that names it moves it under {@code attachments/}. Whatever stays under {@code pending/} past
 * {@code orphan-after} was never sent and is collected ({@link OrphanSweeper}).
 */
public final class AttachmentKeys {

  public static final String PENDING = "pending/";
  public static final String STORED = "attachments/";
  public static final String AVATARS = "avatars/";

  /** Where profile pictures are uploaded to, in place of a conversation id. */
  static final String AVATAR_SCOPE = "avatars";

  /** Ids are the server's UUIDs: nothing that could climb out of its prefix. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private AttachmentKeys() {}

  public static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  static String pending(String conversationId, String userId, String id) {
    return PENDING + path(conversationId, userId, id);
  }

  public static String stored(String conversationId, String userId, String id) {
    return STORED + path(conversationId, userId, id);
  }

  /** A profile picture, set from an upload to {@code pending(AVATAR_SCOPE, userId, id)}. */
  static String avatar(String userId, String id) {
    return AVATARS + path(AVATAR_SCOPE, userId, id).substring(AVATAR_SCOPE.length() + 1);
  }

  private static String path(String conversationId, String userId, String id) {
    // No conversation, user or upload has such an id: nothing of it can be in the store.
    for (String part : new String[] {conversationId, userId, id}) {
      if (!validId(part)) throw new DomainException(ErrorCode.NOT_FOUND);
    }
    return conversationId + "/" + userId + "/" + id;
  }
}
