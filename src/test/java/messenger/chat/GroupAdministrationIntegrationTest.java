package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Group administration over the real server: admins promote and demote, the last admin stays,
 * admin-only permissions hold for adding and renaming, and every change is an entry every member
 * sees, live and in history.
 */
@Timeout(120)
class GroupAdministrationIntegrationTest {

  private static Api api;

  @BeforeAll
  static void start() {
    api = new Api(TestServer.shared().httpPort());
  }

  private static String group(User creator, User... others) {
    return api.group(creator, "admins", others);
  }

  private static Api.Response role(User actor, String group, User member, String role) {
    return api.put(
        "/api/v1/conversations/" + group + "/members/" + member.userId() + "/role",
        Map.of("role", role),
        actor.token());
  }

  private static String roleOf(User viewer, String group, User member) {
    for (JsonNode m :
        api.get("/api/v1/conversations/" + group, viewer.token()).body().path("members")) {
      if (member.userId().equals(m.path("userId").asText())) return m.path("role").asText();
    }
    return null;
  }

  @Test
  void anAdminPromotesAndDemotesMembersButTheLastAdminCannotStepDown() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User carol = api.newUser("carol");
    String group = group(alice, bob, carol);
    try (WsClient carols = WsClient.connect(api.port(), carol.token(), "phone")) {
      Api.Response last = role(alice, group, alice, "member");
      assertEquals(409, last.status());
      assertEquals("last_admin", last.text("code"));
      Api.Response byMember = role(bob, group, carol, "admin");
      assertEquals(403, byMember.status());
      assertEquals("not_admin", byMember.text("code"));
      assertEquals(400, role(alice, group, bob, "owner").status());

      assertEquals(200, role(alice, group, bob, "admin").status());
      assertEquals("admin", roleOf(carol, group, bob));
      // Now there are two admins: the first may step down, and bob acts as an admin.
      assertEquals(200, role(alice, group, alice, "member").status());
      assertEquals("member", roleOf(carol, group, alice));
      assertEquals(200, role(bob, group, carol, "admin").status());

      JsonNode live = carols.next(f -> f.toString().contains("\"role_changed\""), "a role change");
      assertTrue(live.toString().contains(bob.userId()), live::toString);
    }
    JsonNode history =
        api.get("/api/v1/conversations/" + group + "/messages", carol.token()).body();
    long roleChanges =
        history.path("messages").findValues("system").stream()
            .filter(s -> "role_changed".equals(s.path("kind").asText()))
            .count();
    assertEquals(3, roleChanges, history::toString);
  }

  @Test
  void adminOnlyPermissionsStopMembersAddingAndRenamingUntilAnAdminOpensThemAgain() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User dave = api.newUser("dave");
    String group = group(alice, bob);
    String permissions = "/api/v1/conversations/" + group + "/permissions";
    Map<String, Object> adminsOnly = Map.of("addMembers", "admins", "rename", "admins");
    assertEquals(403, api.put(permissions, adminsOnly, bob.token()).status());
    assertEquals(400, api.put(permissions, Map.of("addMembers", "nobody"), alice.token()).status());

    assertEquals(200, api.put(permissions, adminsOnly, alice.token()).status());

    JsonNode details = api.get("/api/v1/conversations/" + group, bob.token()).body();
    assertEquals(
        "admins", details.path("permissions").path("addMembers").asText(), details::toString);
    Api.Response add =
        api.post(
            "/api/v1/conversations/" + group + "/members",
            Map.of("userId", dave.userId()),
            bob.token());
    assertEquals(403, add.status());
    assertEquals("not_admin", add.text("code"));
    Api.Response rename =
        api.patch("/api/v1/conversations/" + group, Map.of("title", "bob's"), bob.token());
    assertEquals(403, rename.status());
    assertEquals(
        200,
        api.post(
                "/api/v1/conversations/" + group + "/members",
                Map.of("userId", dave.userId()),
                alice.token())
            .status());

    assertEquals(
        200,
        api.put(permissions, Map.of("addMembers", "admins", "rename", "everyone"), alice.token())
            .status());
    assertEquals(
        200,
        api.patch("/api/v1/conversations/" + group, Map.of("title", "bob's"), bob.token())
            .status());
    JsonNode history = api.get("/api/v1/conversations/" + group + "/messages", dave.token()).body();
    assertTrue(history.toString().contains("\"renamed\""), history::toString);
  }
}
