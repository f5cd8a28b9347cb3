package messenger.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Profile pictures over the real server and S3Proxy: uploaded straight to the store, set, fetched
 * by contacts (not by strangers), replaced (the old file goes) and removed.
 */
@Timeout(120)
class AvatarIntegrationTest {

  private static Api api;

  @BeforeAll
  static void start() {
    api = new Api(TestServer.shared().httpPort());
  }

  /** Uploads {@code bytes} as a picture and sets it; answers the avatar id. */
  static String setPicture(Api api, User user, String mime, byte[] bytes) {
    Api.Response ticket =
        api.post(
            "/api/v1/account/avatar/uploads",
            Map.of("mime", mime, "size", bytes.length),
            user.token());
    assertEquals(201, ticket.status(), ticket::toString);
    api.putToStore(ticket.body(), bytes);
    Api.Response set =
        api.put(
            "/api/v1/account/avatar", Map.of("uploadId", ticket.text("uploadId")), user.token());
    assertEquals(200, set.status(), set::toString);
    return set.text("avatarId");
  }

  private static byte[] fetched(User viewer, User owner) {
    Api.Response where = api.get("/api/v1/users/" + owner.userId() + "/avatar", viewer.token());
    assertEquals(200, where.status(), where::toString);
    return api.fetch(where.text("url")).body();
  }

  @Test
  void aPictureIsSeenByContactsOnlyAndAReplacedOneIsGoneFromTheStore() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User stranger = api.newUser("stranger");
    api.direct(alice, bob);
    byte[] first = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    setPicture(api, alice, "image/png", first);

    assertArrayEquals(first, fetched(bob, alice));
    assertArrayEquals(first, fetched(alice, alice));
    assertEquals(
        404, api.get("/api/v1/users/" + alice.userId() + "/avatar", stranger.token()).status());

    String oldUrl = api.get("/api/v1/users/" + alice.userId() + "/avatar", bob.token()).text("url");
    byte[] second = {(byte) 0xFF, (byte) 0xD8, 9, 9};
    setPicture(api, alice, "image/jpeg", second);
    assertArrayEquals(second, fetched(bob, alice));
    assertEquals(404, api.fetch(oldUrl).statusCode(), "the replaced picture is deleted");

    assertEquals(204, api.delete("/api/v1/account/avatar", alice.token()).status());
    assertEquals(404, api.get("/api/v1/users/" + alice.userId() + "/avatar", bob.token()).status());
  }

  @Test
  void onlySmallImagesMayBePictures() {
    User carol = api.newUser("carol");
    Api.Response html =
        api.post(
            "/api/v1/account/avatar/uploads",
            Map.of("mime", "text/html", "size", 10),
            carol.token());
    assertEquals(415, html.status());
    Api.Response huge =
        api.post(
            "/api/v1/account/avatar/uploads",
            Map.of("mime", "image/png", "size", 5_000_000),
            carol.token());
    assertEquals(413, huge.status());
    Api.Response missing =
        api.put("/api/v1/account/avatar", Map.of("uploadId", "nothing-here"), carol.token());
    assertEquals(422, missing.status());
  }
}
