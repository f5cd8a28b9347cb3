package messenger.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deleting an account over the real server and Cassandra: the user is shut out at once (sockets,
 * tokens, login), leaves their groups, is shown to others as "Deleted user", their login record's
 * password hash is gone from the journal, and their username stays taken.
 */
@Timeout(120)
class AccountClosureIntegrationTest {
  private static final String PASSWORD = "correct horse";

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated(
                "closure",
                Map.of(
                    "messenger.delivery.heartbeat-interval", "5m",
                    "messenger.delivery.websocket-connection-timeout", "10m")));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  @Test
  void aDeletedAccountIsShutOutLeavesItsGroupsIsShownAsDeletedAndKeepsItsNameTaken()
      throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User carol = api.newUser("carol");
    String direct = api.direct(alice, bob);
    String group = group(alice, bob, carol);
    api.post(
        "/api/v1/conversations/" + direct + "/messages",
        Map.of("clientMsgId", "a-1", "body", "hi bob"),
        alice.token());
    WsClient socket = WsClient.connect(api.port(), alice.token(), "phone");
    AvatarIntegrationTest.setPicture(api, alice, "image/png", new byte[] {1, 2, 3});
    assertEquals(200, api.get("/api/v1/users/" + alice.userId() + "/avatar", bob.token()).status());
    assertEquals(
        204, api.put("/api/v1/blocks/" + carol.userId(), Map.of(), alice.token()).status());
    assertEquals(
        204, api.put("/api/v1/blocks/" + alice.userId(), Map.of(), carol.token()).status());

    Api.Response closed =
        api.delete("/api/v1/account", Map.of("password", PASSWORD), alice.token());

    assertEquals(204, closed.status(), closed::toString);
    JsonNode last = socket.next("error");
    assertEquals("unauthorized", last.path("code").asText(), last::toString);
    socket.closeCode(Duration.ofSeconds(10));
    assertEquals(401, api.get("/api/v1/conversations", alice.token()).status());
    Api.Response login =
        api.post(
            "/api/v1/tokens", Map.of("username", alice.username(), "password", PASSWORD), null);
    assertEquals(401, login.status());
    Api.Response again =
        api.post(
            "/api/v1/users", Map.of("username", alice.username(), "password", "another one"), null);
    assertEquals(409, again.status());
    assertEquals("username_taken", again.text("code"));
    assertEquals(404, api.get("/api/v1/users?username=" + alice.username(), bob.token()).status());

    JsonNode seen = api.get("/api/v1/users/" + alice.userId(), bob.token()).body();
    assertEquals("Deleted user", seen.path("displayName").asText(), seen::toString);
    assertEquals("", seen.path("username").asText());
    assertTrue(seen.path("deleted").asBoolean());
    assertEquals(404, api.get("/api/v1/users/" + alice.userId() + "/avatar", bob.token()).status());
    JsonNode members = api.get("/api/v1/conversations/" + group, bob.token()).body();
    assertFalse(isMember(members, alice.userId()), members::toString);
    JsonNode history = api.get("/api/v1/conversations/" + direct + "/messages", bob.token()).body();
    assertTrue(history.toString().contains("hi bob"), "bob keeps what alice sent him");

    // A block of the deleted user can still be taken off one's list.
    assertEquals(204, api.delete("/api/v1/blocks/" + alice.userId(), carol.token()).status());
    List<Object> journal = accountEvents(alice.username());
    assertFalse(journal.toString().contains("argon2id"), journal::toString);
    assertTrue(
        journal.stream().anyMatch(e -> e instanceof messenger.auth.Account.AccountErased),
        journal::toString);
  }

  @Test
  void aWrongPasswordClosesNothing() {
    Api.User dora = api.newUser("dora");

    Api.Response refused =
        api.delete("/api/v1/account", Map.of("password", "not it"), dora.token());

    assertEquals(403, refused.status());
    assertEquals("wrong_password", refused.text("code"));
    assertEquals(200, api.get("/api/v1/conversations", dora.token()).status());
    api.login(dora.username(), PASSWORD);
  }

  private static boolean isMember(JsonNode details, String userId) {
    for (JsonNode member : details.path("members")) {
      if (userId.equals(member.path("userId").asText())) return true;
    }
    return false;
  }

  private static String group(Api.User creator, Api.User... others) {
    return api.group(creator, "leaving", others);
  }

  /** The events the username's login record keeps in Cassandra. */
  private static List<Object> accountEvents(String username) throws Exception {
    var journal =
        PersistenceQuery.get(node.system())
            .getReadJournalFor(CassandraReadJournal.class, "akka.persistence.cassandra.query");
    return journal
        .currentEventsByPersistenceId("Account|" + username, 0, Long.MAX_VALUE)
        .map(envelope -> envelope.event())
        .runWith(Sink.seq(), node.system())
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }
}
