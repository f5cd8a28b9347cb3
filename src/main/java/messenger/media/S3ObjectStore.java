package messenger.media;

import akka.Done;
import akka.http.javadsl.model.headers.ContentDisposition;
import akka.http.javadsl.model.headers.ContentDispositionTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

/**
 * The {@link ObjectStore} on an S3-compatible store (AWS S3, S3Proxy, MinIO and the like) through
 * the AWS SDK v2: an async client over Netty for the server's own calls, and a presigner whose URLs
 * name the public endpoint, the address clients reach. Buckets are addressed by path ({@code
 * endpoint/bucket/key}), which every S3-compatible store understands and needs no wildcard DNS.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

  private final S3AsyncClient client;
  private final S3Presigner presigner;
  private final String bucket;

  private S3ObjectStore(S3AsyncClient client, S3Presigner presigner, String bucket) {
    this.client = client;
    this.presigner = presigner;
    this.bucket = bucket;
  }

  /** A store on {@code settings}; it makes no call until asked ({@link #ensureBucket}). */
  public static S3ObjectStore create(ObjectStoreSettings settings) {
    var credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    Region region = Region.of(settings.region());
    S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
    S3AsyncClient client =
        S3AsyncClient.builder()
            .httpClientBuilder(NettyNioAsyncHttpClient.builder())
            .endpointOverride(settings.endpointUri())
            .region(region)
            .credentialsProvider(credentials)
            .serviceConfiguration(pathStyle)
            // The SDK's default CRC trailers (since 2.30) are not understood by every
            // S3-compatible store; only send and check checksums where S3 requires them.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
    S3Presigner presigner =
        S3Presigner.builder()
            .endpointOverride(settings.publicEndpointUri())
            .region(region)
            .credentialsProvider(credentials)
            .serviceConfiguration(pathStyle)
            .build();
    return new S3ObjectStore(client, presigner, settings.bucket());
  }

  /** Creates the bucket unless it exists. */
  public CompletionStage<Done> ensureBucket() {
    return client
        .headBucket(b -> b.bucket(bucket))
        .thenApply(found -> Done.getInstance())
        .exceptionallyCompose(
            e ->
                isNotFound(e)
                    ? client
                        .createBucket(b -> b.bucket(bucket))
                        .thenApply(created -> Done.getInstance())
                        .exceptionallyCompose(S3ObjectStore::createdMeanwhile)
                    : CompletableFuture.failedFuture(e));
  }

  @Override
  public messenger.media.PresignedRequest presignUpload(
      String key, String contentType, long size, Duration validFor) {
    PutObjectRequest put =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType(contentType)
            .contentLength(size)
            .build();
    return ours(
        presigner.presignPutObject(
            PutObjectPresignRequest.builder()
                .signatureDuration(validFor)
                .putObjectRequest(put)
                .build()));
  }

  @Override
  public messenger.media.PresignedRequest presignDownload(
      String key, String fileName, String contentType, Duration validFor) {
    GetObjectRequest get =
        GetObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .responseContentDisposition(attachment(fileName))
            .responseContentType(contentType)
            .build();
    return ours(
        presigner.presignGetObject(
            GetObjectPresignRequest.builder()
                .signatureDuration(validFor)
                .getObjectRequest(get)
                .build()));
  }

  @Override
  public CompletionStage<Optional<StoredObject>> head(String key) {
    return client
        .headObject(b -> b.bucket(bucket).key(key))
        .thenApply(S3ObjectStore::stored)
        .exceptionallyCompose(
            e ->
                isNotFound(e)
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : CompletableFuture.failedFuture(e));
  }

  @Override
  public CompletionStage<Done> delete(String key) {
    // S3 answers 204 for a key that is not there; some compatible stores answer 404.
    return client
        .deleteObject(b -> b.bucket(bucket).key(key))
        .thenApply(deleted -> Done.getInstance())
        .exceptionallyCompose(
            e ->
                isNotFound(e)
                    ? CompletableFuture.completedFuture(Done.getInstance())
                    : CompletableFuture.failedFuture(e));
  }

  @Override
  public CompletionStage<Done> copy(String fromKey, String toKey) {
    return client
        .copyObject(
            b ->
                b.sourceBucket(bucket)
                    .sourceKey(fromKey)
                    .destinationBucket(bucket)
                    .destinationKey(toKey))
        .thenApply(copied -> Done.getInstance());
  }

  /** Pages through the listing (1,000 keys a page); only the keys are kept. */
  @Override
  public CompletionStage<List<String>> keysWrittenBefore(String prefix, Instant before) {
    List<String> keys = new ArrayList<>();
    return client
        .listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
        .contents()
        .filter(object -> object.lastModified().isBefore(before))
        .subscribe(object -> keys.add(object.key()))
        .thenApply(done -> List.copyOf(keys));
  }

  /** Closes the client's connections and the presigner. */
  @Override
  public void close() {
    client.close();
    presigner.close();
  }

  /**
   * RFC 6266 with the RFC 5987 {@code filename*} for names beyond ASCII (Akka HTTP's rendering):
   * quotes, backslashes and line breaks cannot break out of the header.
   */
  static String attachment(String fileName) {
    return ContentDisposition.create(
            ContentDispositionTypes.ATTACHMENT, Map.of("filename", fileName))
        .value();
  }

  private static Optional<StoredObject> stored(HeadObjectResponse head) {
    return Optional.of(
        new StoredObject(
            head.contentLength(),
            head.contentType() == null ? "application/octet-stream" : head.contentType()));
  }

  /**
   * The client must send exactly the signed headers; {@code host} is the URL's own, so it is left
   * out (browsers and java.net.http refuse to set it).
   */
  private static messenger.media.PresignedRequest ours(PresignedRequest presigned) {
    Map<String, String> headers =
        presigned.signedHeaders().entrySet().stream()
            .filter(h -> !h.getKey().equalsIgnoreCase("host"))
            .collect(Collectors.toMap(Map.Entry::getKey, h -> String.join(",", h.getValue())));
    return new messenger.media.PresignedRequest(
        presigned.url().toString(),
        presigned.httpRequest().method().name(),
        headers,
        presigned.expiration());
  }

  private static boolean isNotFound(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof S3Exception s3 && s3.statusCode() == 404;
  }

  private static CompletionStage<Done> createdMeanwhile(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof BucketAlreadyOwnedByYouException
        ? CompletableFuture.completedFuture(Done.getInstance())
        : CompletableFuture.failedFuture(e);
  }
}
