package messenger.media;

import akka.Done;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in object store for unit tests: what each key holds and when it was written. Presigned
 * requests are not usable URLs here; the integration tests use the real S3 server.
 */
final class InMemoryObjectStore implements ObjectStore {

  record Entry(StoredObject object, Instant written) {}

  final Map<String, Entry> objects = new ConcurrentHashMap<>();
  private final Clock clock;

  InMemoryObjectStore(Clock clock) {
    this.clock = clock;
  }

  /** What a client's PUT to a presigned upload URL would leave. */
  void put(String key, long size, String contentType) {
    objects.put(key, new Entry(new StoredObject(size, contentType), clock.instant()));
  }

  @Override
  public PresignedRequest presignUpload(
      String key, String contentType, long size, Duration validFor) {
    return new PresignedRequest(
        "memory://" + key,
        "PUT",
        Map.of("Content-Type", contentType, "Content-Length", Long.toString(size)),
        clock.instant().plus(validFor));
  }

  @Override
  public PresignedRequest presignDownload(
      String key, String fileName, String contentType, Duration validFor) {
    return new PresignedRequest("memory://" + key, "GET", Map.of(), clock.instant().plus(validFor));
  }

  @Override
  public CompletionStage<Optional<StoredObject>> head(String key) {
    return CompletableFuture.completedFuture(
        Optional.ofNullable(objects.get(key)).map(Entry::object));
  }

  @Override
  public CompletionStage<Done> delete(String key) {
    objects.remove(key);
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  @Override
  public CompletionStage<Done> copy(String fromKey, String toKey) {
    Entry from = objects.get(fromKey);
    if (from == null) return CompletableFuture.failedFuture(new IllegalStateException("no such"));
    objects.put(toKey, new Entry(from.object(), clock.instant()));
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  @Override
  public CompletionStage<List<String>> keysWrittenBefore(String prefix, Instant before) {
    return CompletableFuture.completedFuture(
        objects.entrySet().stream()
            .filter(e -> e.getKey().startsWith(prefix) && e.getValue().written().isBefore(before))
            .map(Map.Entry::getKey)
            .sorted()
            .toList());
  }
}
