package messenger.media;

import java.util.List;
import java.util.Locale;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.chat.Attachment;

/**
 * What an upload request and a message's attachment list must be, before anything is signed or
 * sent; each refusal is a {@link DomainException} with its stable code.
 */
public final class AttachmentRules {

  private static final int MAX_PIXELS = 100_000;

  private final AttachmentSettings settings;

  public AttachmentRules(AttachmentSettings settings) {
    this.settings = settings;
  }

  /** An upload of {@code size} bytes of {@code mime} named {@code name} may be signed. */
  public void upload(String mime, long size, String name) {
    type(mime);
    size(size);
    name(name);
  }

  /** A message may name these attachments (before the store is asked whether they are there). */
  public void declared(List<Attachment> attachments) {
    if (attachments.size() > settings.maxPerMessage()) {
      throw new DomainException(
          ErrorCode.TOO_MANY_ATTACHMENTS,
          ErrorDetail.atMost(Rule.RANGE, "attachments", settings.maxPerMessage()));
    }
    for (Attachment a : attachments) {
      if (!AttachmentKeys.validId(a.id())) {
        throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "attachments[].id");
      }
      type(a.mime());
      size(a.size());
      name(a.name());
      pixels(a.width(), "attachments[].width");
      pixels(a.height(), "attachments[].height");
      preview(a.preview());
    }
  }

  /** Whether the stored object is the file the message describes. */
  public static boolean matches(Attachment declared, StoredObject stored) {
    return stored.size() == declared.size()
        && normalType(stored.contentType()).equals(normalType(declared.mime()));
  }

  /** {@code "Image/PNG; x=y"} is {@code "image/png"}. */
  static String normalType(String mime) {
    if (mime == null) return "";
    int parameters = mime.indexOf(';');
    String bare = parameters < 0 ? mime : mime.substring(0, parameters);
    return bare.strip().toLowerCase(Locale.ROOT);
  }

  private void type(String mime) {
    if (mime == null || mime.isBlank()) {
      throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "mime");
    }
    if (!settings.allowedTypes().contains(normalType(mime))) {
      throw new DomainException(ErrorCode.TYPE_NOT_ALLOWED);
    }
  }

  private void size(long size) {
    if (size < 1) throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.POSITIVE, "size");
    if (size > settings.maxBytes()) {
      throw new DomainException(
          ErrorCode.TOO_LARGE, ErrorDetail.atMost(Rule.RANGE, "size", settings.maxBytes()));
    }
  }

  private void name(String name) {
    if (name == null || name.isBlank()) {
      throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "name");
    }
    if (name.length() > settings.maxNameChars()) {
      throw new DomainException(
          ErrorCode.BAD_REQUEST,
          ErrorDetail.atMost(Rule.AT_MOST_CHARS, "name", settings.maxNameChars()));
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.NO_CONTROL_CHARS, "name");
    }
  }

  private static void pixels(Integer value, String field) {
    if (value != null && (value < 1 || value > MAX_PIXELS)) {
      throw new DomainException(
          ErrorCode.BAD_REQUEST, ErrorDetail.between(Rule.RANGE, field, 1, MAX_PIXELS));
    }
  }

  private void preview(String preview) {
    if (preview == null) return;
    if (!preview.startsWith("data:image/")) {
      throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "attachments[].preview");
    }
    if (preview.length() > settings.maxPreviewChars()) {
      throw new DomainException(
          ErrorCode.TOO_LARGE,
          ErrorDetail.atMost(
              Rule.AT_MOST_CHARS, "attachments[].preview", settings.maxPreviewChars()));
    }
  }
}
