package messenger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.InboxProgress;
import messenger.chat.MemberInboxes;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.Polling;
import messenger.testing.TestCassandra;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node acknowledges messages and dies before any of them reaches the recipient's inbox. Another
 * node starts on the same storage; nobody touches the conversation, yet the recipient gets every
 * message, once and in order: the remembered conversation restarts, probes its members and finishes
 * the fan-out.
 */
@Timeout(240)
class FanoutAfterCrashIntegrationTest {

  /** Answers joins and probes, but every message it should deliver is lost with the node. */
  private static final class DiesBeforeFanout implements MemberInboxes {
    private final MemberInboxes real;

    DiesBeforeFanout(MemberInboxes real) {
      this.real = real;
    }

    @Override
    public void join(
        String userId, ConversationInfo info, long fromSeq, ActorRef<InboxProgress> replyTo) {
      real.join(userId, info, fromSeq, replyTo);
    }

    @Override
    public void relay(String userId, messenger.chat.Notice notice) {
      real.relay(userId, notice);
    }

    @Override
    public void append(
        String userId,
        String conversationId,
        List<ChatMessage> messages,
        ActorRef<InboxProgress> replyTo) {
      if (messages.isEmpty()) real.append(userId, conversationId, messages, replyTo);
    }
  }

  /** Its own keyspaces on the shared test Cassandra, so no other node's shards are in the way. */
  private static Config config(String keyspace) {
    return ConfigFactory.parseMap(
            Map.of(
                "akka.persistence.cassandra.journal.keyspace",
                keyspace,
                "akka.persistence.cassandra.snapshot.keyspace",
                keyspace + "_snapshot",
                // An abrupt stop: no shard hand-off, no leaving, as when a process is killed.
                "akka.coordinated-shutdown.run-by-actor-system-terminate",
                "off"))
        .withFallback(
            TestServer.config(TestCassandra.contactPoint(), Path.of("target/crash-test")));
  }

  @Test
  void messagesAcknowledgedBeforeACrashReachTheRecipientAfterRecovery() throws Exception {
    Config config = config("crash_" + UUID.randomUUID().toString().substring(0, 8));
    MessengerNode doomed = MessengerNode.start(config, DiesBeforeFanout::new);
    Api api = new Api(doomed.httpPort());
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    for (int i = 0; i < 5; i++) {
      var sent =
          api.post(
              "/api/v1/conversations/" + conversation + "/messages",
              Map.of("clientMsgId", "c-" + i, "body", "acked " + i),
              alice.token());
      assertEquals(201, sent.status());
    }
    assertEquals(
        0, api.conversationEntry(bob, conversation).path("lastSeq").asLong(), "nothing fanned out");
    doomed.system().terminate();
    doomed.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);

    MessengerNode recovered = MessengerNode.start(config);
    try {
      Api after = new Api(recovered.httpPort());
      Polling.until(
          Duration.ofSeconds(60),
          () -> after.conversationEntry(bob, conversation).path("lastSeq").asLong() == 5,
          "the recovered conversation finishes its fan-out");
      try (WsClient bobPhone = WsClient.connect(after.port(), bob.token(), "phone")) {
        assertEquals(
            IntStream.range(0, 5).mapToObj(i -> "acked " + i).toList(),
            bobPhone.messages(5).bodies());
        assertTrue(bobPhone.noFrame("messages", Duration.ofMillis(500)));
      }
    } finally {
      recovered.stop();
    }
  }
}
