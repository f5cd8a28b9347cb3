package messenger.chat;

import messenger.CborSerializable;

/**
 * A file a message carries, by reference: the bytes are in the object store, under a key derived
 * from the conversation, the sender and {@code id} ({@code media.AttachmentKeys}); the log holds
 * only this. The server checked {@code mime} and {@code size} against the stored object when the
 * message was sent; the name, dimensions and preview are the client's.
 *
 * @param width pixels, for images and video; null otherwise
 * @param height pixels, for images and video; null otherwise
 * @param preview a small image the client made (a data URL), or null
 */
public record Attachment(
    String id, String mime, long size, String name, Integer width, Integer height, String preview)
    implements CborSerializable {}
