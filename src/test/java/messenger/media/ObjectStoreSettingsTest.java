package messenger.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectStoreSettingsTest {

  @Test
  void theDefaultsStartTheEmbeddedStoreBesideTheEmbeddedCassandra() {
    ObjectStoreSettings settings =
        ObjectStoreSettings.fromConfig(ConfigFactory.parseResources("messenger.conf").resolve());

    assertTrue(settings.embeddedWanted());
    assertEquals(new ObjectStoreSettings.Embedded(9100, Path.of("data/s3")), settings.embedded());
    assertEquals("messenger-attachments", settings.bucket());
    assertEquals("us-east-1", settings.region());
  }

  @Test
  void withTheEmbeddedStoreOffAndNoEndpointTheNodeRefusesToStartNamingTheSetting() {
    var config =
        ConfigFactory.parseMap(Map.of("messenger.object-store.embedded.enabled", false))
            .withFallback(ConfigFactory.parseResources("messenger.conf"))
            .resolve();

    var refused = assertThrows(IllegalStateException.class, () -> MediaStorage.start(config));
    assertTrue(refused.getMessage().contains("MESSENGER_S3_ENDPOINT"), refused.getMessage());
  }

  @Test
  void presignedUrlsGoToTheEndpointUnlessAPublicOneIsSet() {
    var config =
        ConfigFactory.parseMap(Map.of("messenger.object-store.endpoint", "http://minio:9000"))
            .withFallback(ConfigFactory.parseResources("messenger.conf"))
            .resolve();
    ObjectStoreSettings settings = ObjectStoreSettings.fromConfig(config);
    assertFalse(settings.embeddedWanted());
    assertEquals(URI.create("http://minio:9000"), settings.publicEndpointUri());

    ObjectStoreSettings behindProxy =
        ObjectStoreSettings.fromConfig(
            ConfigFactory.parseMap(
                    Map.of("messenger.object-store.public-endpoint", "https://media.example.com"))
                .withFallback(config)
                .resolve());
    assertEquals(URI.create("https://media.example.com"), behindProxy.publicEndpointUri());
    assertEquals(URI.create("http://minio:9000"), behindProxy.endpointUri());
  }

  @Test
  void theSecretKeyStaysOutOfTheLogLine() {
    var settings =
        new ObjectStoreSettings("http://s3", "", "us-east-1", "b", "AKID", "very-secret", null);
    assertFalse(settings.toString().contains("very-secret"));
  }
}
