package messenger.media;

import akka.Done;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where attachments' bytes live: an S3-compatible object store. Clients move the bytes themselves,
 * over short-lived presigned URLs; the server only signs, looks and deletes, so no file passes
 * through a node. Every method is non-blocking.
 */
public interface ObjectStore {

  /**
   * A URL the client PUTs the file to, valid for {@code validFor}. The content type and length are
   * part of the signature, so a PUT with other ones is refused by the store.
   */
  PresignedRequest presignUpload(String key, String contentType, long size, Duration validFor);

  /**
   * A URL the client GETs the file from, valid for {@code validFor}, answered as an attachment
   * named {@code fileName} of type {@code contentType}.
   */
  PresignedRequest presignDownload(
      String key, String fileName, String contentType, Duration validFor);

  /** The stored object's size and type, or empty if there is none under {@code key}. */
  CompletionStage<Optional<StoredObject>> head(String key);

  /** Deletes the object; one that is not there is deleted already. */
  CompletionStage<Done> delete(String key);

  /** Copies the object inside the store (no bytes through the node); fails if there is none. */
  CompletionStage<Done> copy(String fromKey, String toKey);

  /** The keys under {@code prefix} of objects last written before {@code before}. */
  CompletionStage<List<String>> keysWrittenBefore(String prefix, Instant before);
}
