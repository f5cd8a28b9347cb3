package messenger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.TestKeystore;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node with a PKCS#12 keystore serves HTTPS and WSS, and nothing in plaintext on that port; its
 * own pages are https ones.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TlsIntegrationTest {

  private static TestKeystore keystore;
  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    keystore = TestKeystore.create(Path.of("target", "tls-test-" + java.util.UUID.randomUUID()));
    node =
        MessengerNode.start(
            TestServer.isolated(
                "tls",
                Map.of(
                    "messenger.http.tls.keystore",
                    keystore.path.toAbsolutePath().toString(),
                    "messenger.http.tls.keystore-password",
                    keystore.password)));
    api = Api.https(node.httpPort(), keystore.trustingClient());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.stop();
  }

  @Test
  void aClientThatTrustsTheCertificateRegistersLogsInAndChatsOverHttpsAndWss() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient phone = WsClient.connect(api, alice.token(), "phone", null);
        WsClient laptop = WsClient.connect(api, bob.token(), "laptop", null)) {
      JsonNode sent = phone.sendMessage(conversation, "m1", "over TLS");
      assertEquals("sent", sent.path("type").asText());
      assertEquals(
          java.util.List.of("over TLS"), laptop.messages(1).bodies(), "bob receives over wss");
    }
  }

  @Test
  void plaintextHttpToTheTlsPortGetsNoAnswer() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/health/alive"))
            .timeout(Duration.ofSeconds(20))
            .build();
    assertThrows(
        IOException.class, () -> plain.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefusedInTheHandshake() {
    HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api.base() + "/health/alive"))
            .timeout(Duration.ofSeconds(20))
            .build();
    assertThrows(
        SSLHandshakeException.class,
        () -> defaultTrust.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void theServersOwnPagesAreHttpsOnesUnderTls() {
    Api.User carol = api.newUser("carol");
    WsClient.connect(api, carol.token(), "web", "https://127.0.0.1:" + node.httpPort()).close();
    assertEquals(
        403,
        WsClient.refusedStatus(api, carol.token(), "web2", "http://127.0.0.1:" + node.httpPort()));
  }

  @Test
  void aWrongKeystorePasswordStopsTheNodeBeforeAnythingStarts() {
    ConfigException.BadValue refused =
        assertThrows(
            ConfigException.BadValue.class,
            () ->
                MessengerNode.start(
                    TestServer.isolated(
                        "tls_bad",
                        Map.of(
                            "messenger.http.tls.keystore",
                            keystore.path.toAbsolutePath().toString(),
                            "messenger.http.tls.keystore-password",
                            "not-the-password"))));
    assertTrue(
        refused.getMessage().contains("MESSENGER_TLS_KEYSTORE_PASSWORD"), refused::getMessage);
  }
}
