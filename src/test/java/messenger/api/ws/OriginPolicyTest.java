package messenger.api.ws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

  private final OriginPolicy policy =
      new OriginPolicy("https://chat.example.com, http://localhost:3000");

  private boolean allows(String origin, String host) {
    return policy.allows(Optional.ofNullable(origin), Optional.ofNullable(host));
  }

  @Test
  void clientsThatSendNoOriginAreNotBrowsersAndMayConnect() {
    assertTrue(allows(null, "api.example.com"));
  }

  @Test
  void thePagesOfTheServersOwnOriginMayConnect() {
    assertTrue(allows("http://127.0.0.1:8080", "127.0.0.1:8080"));
    assertTrue(allows("https://api.example.com", "api.example.com"));
    assertTrue(allows("https://api.example.com", "api.example.com:443"));
    assertTrue(allows("HTTP://API.example.com", "api.example.COM"));
  }

  @Test
  void listedOriginsMayConnect() {
    assertTrue(allows("https://chat.example.com", "api.example.com"));
    assertTrue(allows("https://chat.example.com:443/", "api.example.com"));
    assertTrue(allows("http://localhost:3000", "api.example.com"));
  }

  @Test
  void otherSitesMayNot() {
    assertFalse(allows("https://evil.example.net", "api.example.com"));
    assertFalse(allows("http://127.0.0.1:9999", "127.0.0.1:8080"));
    assertFalse(allows("http://localhost:3001", "api.example.com"));
    assertFalse(allows("https://chat.example.com.evil.net", "api.example.com"));
    assertFalse(allows("null", "api.example.com"));
    assertFalse(allows("https://api.example.com", null));
  }

  @Test
  void underTlsOnlyAnHttpsPageIsTheServersOwn() {
    OriginPolicy tls = new OriginPolicy("http://localhost:3000", true);
    assertTrue(tls.allows(Optional.of("https://api.example.com"), Optional.of("api.example.com")));
    assertTrue(tls.allows(Optional.of("https://127.0.0.1:8443"), Optional.of("127.0.0.1:8443")));
    assertFalse(tls.allows(Optional.of("http://127.0.0.1:8443"), Optional.of("127.0.0.1:8443")));
    assertTrue(
        tls.allows(Optional.of("http://localhost:3000"), Optional.of("127.0.0.1:8443")), "listed");
  }
}
