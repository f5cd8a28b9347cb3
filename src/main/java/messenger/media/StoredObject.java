package messenger.media;

/** What the object store holds under a key: its size in bytes and its content type. */
public record StoredObject(long size, String contentType) {}
