package messenger.media;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import messenger.storage.S3ProxyLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a node's object store: the S3 client, and the embedded S3Proxy when no endpoint is
 * configured. {@link #close} closes them in that order, so no call is left on a stopped store.
 */
public final class MediaStorage implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MediaStorage.class);
  private static final Duration BUCKET_TIMEOUT = Duration.ofSeconds(30);

  private final S3ObjectStore store;
  private final S3ProxyLauncher embedded;
  private final URI publicEndpoint;

  private MediaStorage(S3ObjectStore store, S3ProxyLauncher embedded, URI publicEndpoint) {
    this.store = store;
    this.embedded = embedded;
    this.publicEndpoint = publicEndpoint;
  }

  /**
   * Starts the embedded S3Proxy if {@code messenger.object-store.endpoint} is blank, connects and
   * makes sure the bucket exists; blocks until then, as the node's start does for Cassandra.
   */
  public static MediaStorage start(Config config) throws Exception {
    ObjectStoreSettings settings = ObjectStoreSettings.fromConfig(config);
    S3ProxyLauncher embedded = null;
    S3ObjectStore store = null;
    try {
      if (settings.embeddedWanted()) {
        if (!config.getBoolean("messenger.object-store.embedded.enabled")) {
          throw new IllegalStateException(
              "No object store configured: set MESSENGER_S3_ENDPOINT (and the bucket and keys);"
                  + " the embedded S3 server is off here (MESSENGER_S3_EMBEDDED=false)");
        }
        embedded =
            S3ProxyLauncher.start(
                new S3ProxyLauncher.Settings(
                    settings.embedded().dir(), settings.embedded().port()));
        settings =
            settings.withEmbedded(
                embedded.endpoint(),
                embedded.credentials().accessKey(),
                embedded.credentials().secretKey());
      }
      store = S3ObjectStore.create(settings);
      store.ensureBucket().toCompletableFuture().get(BUCKET_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      log.info("Object store {} bucket {} ready", settings.endpoint(), settings.bucket());
      return new MediaStorage(store, embedded, settings.publicEndpointUri());
    } catch (Exception | Error e) {
      if (store != null) store.close();
      if (embedded != null) embedded.close();
      throw e;
    }
  }

  public ObjectStore store() {
    return store;
  }

  /**
   * The origin presigned URLs point at ({@code scheme://host[:port]}; URLs are path-style, so the
   * bucket is never part of the host): the web page's CSP lets it upload to and show images from
   * it.
   */
  public String publicOrigin() {
    int port = publicEndpoint.getPort();
    return publicEndpoint.getScheme()
        + "://"
        + publicEndpoint.getHost()
        + (port < 0 ? "" : ":" + port);
  }

  /** Closes the client, then stops the embedded S3Proxy if this node started one. */
  @Override
  public void close() {
    try {
      store.close();
    } finally {
      if (embedded != null) embedded.close();
    }
  }
}
