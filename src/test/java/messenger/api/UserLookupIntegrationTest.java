package messenger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import messenger.testing.Api;
import messenger.testing.Api.Response;
import messenger.testing.Api.User;
import messenger.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /users?username=} and {@code GET /users/{id}}, against the real server. */
@Timeout(120)
class UserLookupIntegrationTest {

  private static Api api;

  @BeforeAll
  static void startServer() {
    api = new Api(TestServer.shared().httpPort());
  }

  @Test
  void anyoneLoggedInFindsAUserByExactUsername() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");

    Response found = api.get("/api/v1/users?username=" + bob.username(), alice.token());
    assertEquals(200, found.status());
    assertEquals(bob.userId(), found.text("userId"));
    assertEquals(bob.username(), found.text("username"));
    assertEquals(
        bob.username(), found.text("displayName"), "the display name defaults to the username");

    assertEquals(
        404, api.get("/api/v1/users?username=nobody-" + bob.username(), alice.token()).status());
    assertEquals(
        "bad_request", api.get("/api/v1/users?username=No%20Such", alice.token()).text("code"));
    assertEquals("bad_request", api.get("/api/v1/users", alice.token()).text("code"));
    assertEquals(401, api.get("/api/v1/users?username=" + bob.username(), null).status());
  }

  @Test
  void aProfileByIdIsShownToContactsOnly() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User stranger = api.newUser("stranger");

    assertEquals(
        404, api.get("/api/v1/users/" + bob.userId(), alice.token()).status(), "not a contact yet");
    api.direct(alice, bob);

    Response profile = api.get("/api/v1/users/" + bob.userId(), alice.token());
    assertEquals(200, profile.status());
    assertEquals(bob.username(), profile.text("username"));
    assertEquals(
        200, api.get("/api/v1/users/" + alice.userId(), alice.token()).status(), "oneself");
    assertEquals(404, api.get("/api/v1/users/" + bob.userId(), stranger.token()).status());
    assertEquals(404, api.get("/api/v1/users/no-such-user", alice.token()).status());
    // The presence route under the same prefix still answers.
    assertEquals(
        200, api.get("/api/v1/users/" + bob.userId() + "/presence", alice.token()).status());
  }

  @Test
  void theRegistrationRouteIsUnchanged() {
    Response created =
        api.post(
            "/api/v1/users",
            Map.of("username", "u-" + System.nanoTime(), "password", "long enough"),
            null);
    assertEquals(201, created.status());
  }
}
