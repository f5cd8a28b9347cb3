package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Invite links over the real server: a link lets anyone signed in join the group, from then on; it
 * stops working when it expires or is revoked; only those who may add members make links, and only
 * admins or their makers revoke them.
 */
@Timeout(120)
class InviteLinksIntegrationTest {

  private static Api api;

  @BeforeAll
  static void start() {
    api = new Api(TestServer.shared().httpPort());
  }

  private static String group(User creator, User... others) {
    return api.group(creator, "invites", others);
  }

  private static Api.Response invite(User user, String group, Map<String, Object> body) {
    return api.post("/api/v1/conversations/" + group + "/invites", body, user.token());
  }

  private static Api.Response join(User user, String token) {
    return api.post("/api/v1/invites/join", Map.of("token", token), user.token());
  }

  @Test
  void anInviteLinkLetsAnyoneJoinFromThenOnUntilItIsRevoked() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User carol = api.newUser("carol");
    User dave = api.newUser("dave");
    String group = group(alice, bob);
    api.post(
        "/api/v1/conversations/" + group + "/messages",
        Map.of("clientMsgId", "before", "body", "before the invite"),
        alice.token());

    Api.Response created = invite(bob, group, Map.of());
    assertEquals(201, created.status(), created::toString);
    String token = created.text("token");
    String inviteId = created.text("inviteId");
    Api.Response joined = join(carol, token);

    assertEquals(200, joined.status(), joined::toString);
    assertEquals(group, joined.text("conversationId"));
    JsonNode history =
        api.get("/api/v1/conversations/" + group + "/messages", carol.token()).body();
    assertTrue(!history.toString().contains("before the invite"), "nothing before the join");
    assertTrue(history.toString().contains("member_added"), history::toString);
    assertEquals(200, join(carol, token).status(), "joining again answers the join point");
    JsonNode listed = api.get("/api/v1/conversations/" + group + "/invites", alice.token()).body();
    assertEquals(token, listed.path("invites").get(0).path("token").asText(), listed::toString);

    Api.Response foreignRevoke =
        api.delete("/api/v1/conversations/" + group + "/invites/" + inviteId, carol.token());
    assertEquals(403, foreignRevoke.status());
    assertEquals(
        204,
        api.delete("/api/v1/conversations/" + group + "/invites/" + inviteId, alice.token())
            .status());
    Api.Response refused = join(dave, token);
    assertEquals(404, refused.status());
    assertEquals("not_found", refused.text("code"));
    assertEquals(404, join(dave, token.substring(0, token.length() - 2) + "xx").status());
    assertEquals(403, api.get("/api/v1/conversations/" + group, dave.token()).status());
  }

  @Test
  void anInviteLinkStopsWorkingWhenItExpires() {
    User alice = api.newUser("alice");
    User erin = api.newUser("erin");
    String group = group(alice);
    Api.Response created = invite(alice, group, Map.of("expiresInSeconds", 2));
    Instant expiresAt = Instant.parse(created.text("expiresAt"));

    Polling.until(Duration.ofSeconds(10), () -> Instant.now().isAfter(expiresAt), "expiry");

    assertEquals(404, join(erin, created.text("token")).status());
  }

  @Test
  void onlyThoseWhoMayAddMembersMakeLinksAndOnlyForGroups() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String group = group(alice, bob);
    api.put(
        "/api/v1/conversations/" + group + "/permissions",
        Map.of("addMembers", "admins", "rename", "everyone"),
        alice.token());

    assertEquals(403, invite(bob, group, Map.of()).status());
    assertEquals(201, invite(alice, group, Map.of()).status());
    assertEquals(400, invite(alice, group, Map.of("expiresInSeconds", 0)).status());
    String direct = api.direct(alice, bob);
    assertEquals(400, invite(alice, direct, Map.of()).status());
    assertEquals(403, invite(api.newUser("outsider"), group, Map.of()).status(), "members only");
  }
}
