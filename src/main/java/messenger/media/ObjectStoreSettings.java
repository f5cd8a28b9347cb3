package messenger.media;

import com.typesafe.config.Config;
import java.net.URI;
import java.nio.file.Path;

/**
 * The {@code messenger.object-store} block: the S3 endpoint the server calls, the one clients reach
 * over presigned URLs, and how to sign. A blank {@code endpoint} means the embedded S3Proxy, whose
 * own keys then stand in for blank ones ({@link #withEmbedded}).
 */
public record ObjectStoreSettings(
    String endpoint,
    String publicEndpoint,
    String region,
    String bucket,
    String accessKey,
    String secretKey,
    Embedded embedded) {

  /** The embedded S3Proxy's loopback port and data directory. */
  public record Embedded(int port, Path dir) {}

  /** Reads {@code messenger.object-store} from the root config. */
  public static ObjectStoreSettings fromConfig(Config root) {
    Config c = root.getConfig("messenger.object-store");
    return new ObjectStoreSettings(
        c.getString("endpoint").strip(),
        c.getString("public-endpoint").strip(),
        c.getString("region"),
        c.getString("bucket"),
        c.getString("access-key"),
        c.getString("secret-key"),
        new Embedded(c.getInt("embedded.port"), Path.of(c.getString("embedded.dir"))));
  }

  /** No endpoint configured: the node starts S3Proxy itself. */
  public boolean embeddedWanted() {
    return endpoint.isBlank();
  }

  /** These settings on the embedded store at {@code endpoint}, signing with its keys. */
  public ObjectStoreSettings withEmbedded(URI endpoint, String accessKey, String secretKey) {
    return new ObjectStoreSettings(
        endpoint.toString(), publicEndpoint, region, bucket, accessKey, secretKey, embedded);
  }

  /** What the server calls. */
  public URI endpointUri() {
    return URI.create(endpoint);
  }

  /** What presigned URLs point at: the public endpoint, or the server's own when none is set. */
  public URI publicEndpointUri() {
    return URI.create(publicEndpoint.isBlank() ? endpoint : publicEndpoint);
  }

  @Override
  public String toString() {
    return "ObjectStoreSettings[endpoint="
        + endpoint
        + ", publicEndpoint="
        + publicEndpoint
        + ", region="
        + region
        + ", bucket="
        + bucket
        + ", accessKey="
        + accessKey
        + ", secretKey=<hidden>, embedded="
        + embedded
        + "]";
  }
}
