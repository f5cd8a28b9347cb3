package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import messenger.MessengerNode;
import messenger.delivery.UserInbox;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node dies in the middle of fanning 20 messages out to a group of 1,000: some inboxes have some
 * of them, most have none. Another node starts on the same storage and nobody touches the group;
 * every inbox ends with each message exactly once (the inbox's dense cursors would show a
 * duplicate as an extra entry and a loss as a missing one).
 */
@Timeout(300)
class GroupCrashMidFanoutIntegrationTest {

  private static final int MEMBERS = 1000;
  private static final int MESSAGES = 20;
  /** Appends let through before the node "dies": a fraction of the 1,000-member fan-out. */
  private static final int APPENDS_BEFORE_CRASH = 400;

  /** Forwards joins and the first appends, then loses everything, as a node that died would. */
  private static final class DiesMidFanout implements MemberInboxes {
    static final AtomicInteger forwarded = new AtomicInteger();
    static final AtomicInteger dropped = new AtomicInteger();
    private final MemberInboxes real;

    DiesMidFanout(MemberInboxes real) {
      this.real = real;
    }

    @Override
    public void join(String userId, ConversationInfo info, long fromSeq, ActorRef<InboxProgress> replyTo) {
      real.join(userId, info, fromSeq, replyTo);
    }

    @Override
    public void append(
        String userId, String conversationId, List<ChatMessage> messages, ActorRef<InboxProgress> replyTo) {
      if (messages.isEmpty() || forwarded.incrementAndGet() <= APPENDS_BEFORE_CRASH) {
        real.append(userId, conversationId, messages, replyTo);
      } else {
        dropped.incrementAndGet();
      }
    }

    @Override
    public void relay(String userId, Notice notice) {
      real.relay(userId, notice);
    }
  }

  @Test
  void aCrashMidFanoutToAThousandMembersLosesNothingAndDuplicatesNothing() throws Exception {
    String keyspace = "groupcrash_" + UUID.randomUUID().toString().substring(0, 8);
    Config abrupt =
        TestServer.inKeyspace(
            keyspace, Map.of("akka.coordinated-shutdown.run-by-actor-system-terminate", "off"));
    MessengerNode doomed = MessengerNode.start(abrupt, DiesMidFanout::new);
    List<String> members = registerUsers(doomed.system());
    String group = "g-" + UUID.randomUUID();
    ClusterSharding sharding = ClusterSharding.get(doomed.system());
    var created =
        sharding
            .entityRefFor(Conversation.ENTITY_KEY, group)
            .<StatusReply<Conversation.Created>>ask(
                replyTo -> new Conversation.Create(ConversationType.GROUP, members, members.get(0), "thousand", replyTo),
                Duration.ofSeconds(30))
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    assertTrue(created.isSuccess(), created.toString());
    for (int i = 1; i <= MESSAGES; i++) {
      int n = i;
      var posted =
          sharding
              .entityRefFor(Conversation.ENTITY_KEY, group)
              .<StatusReply<Conversation.Posted>>ask(
                  replyTo -> new Conversation.Post(members.get(n % 7), "m-" + n, "message " + n, replyTo),
                  Duration.ofSeconds(30))
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      assertEquals(n, posted.getValue().seq(), "acknowledged as soon as the conversation persisted it");
    }
    Polling.until(Duration.ofSeconds(60), () -> DiesMidFanout.dropped.get() > 0, "the fan-out is under way");
    doomed.system().terminate();
    doomed.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);

    MessengerNode recovered = MessengerNode.start(TestServer.inKeyspace(keyspace, Map.of()));
    try {
      ClusterSharding after = ClusterSharding.get(recovered.system());
      Polling.until(
          Duration.ofSeconds(180),
          () -> lagging(after, members, group).isEmpty(),
          "every inbox holds all " + MESSAGES + " messages");
      for (String member : members) {
        UserInbox.Located at =
            after
                .entityRefFor(UserInbox.ENTITY_KEY, member)
                .<UserInbox.Located>ask(replyTo -> new UserInbox.Locate(0, replyTo), Duration.ofSeconds(30))
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        assertEquals(MESSAGES, at.latestCursor(), member + ": each message once, none lost");
      }
    } finally {
      recovered.stop();
    }
  }

  /** Members whose inbox does not yet hold the group up to the last message. */
  private static List<String> lagging(ClusterSharding sharding, List<String> members, String group) {
    List<CompletableFuture<Boolean>> done = new ArrayList<>();
    for (String member : members) {
      done.add(
          sharding
              .entityRefFor(UserInbox.ENTITY_KEY, member)
              .ask(UserInbox.ListConversations::new, Duration.ofSeconds(30))
              .thenApply(
                  list ->
                      list.conversations().stream()
                          .anyMatch(c -> c.info().conversationId().equals(group) && c.lastSeq() == MESSAGES))
              .toCompletableFuture());
    }
    List<String> lagging = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      if (!done.get(i).join()) lagging.add(members.get(i));
    }
    return lagging;
  }

  /** Inboxes registered directly: HTTP registration would spend minutes on password hashing. */
  private static List<String> registerUsers(ActorSystem<?> system) throws Exception {
    ClusterSharding sharding = ClusterSharding.get(system);
    List<String> ids = new ArrayList<>();
    List<CompletableFuture<StatusReply<akka.Done>>> registered = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      String id = "u-" + UUID.randomUUID();
      ids.add(id);
      String name = "member-" + id.substring(2, 14);
      registered.add(
          sharding
              .entityRefFor(UserInbox.ENTITY_KEY, id)
              .<StatusReply<akka.Done>>ask(replyTo -> new UserInbox.Register(name, name, replyTo), Duration.ofSeconds(60))
              .toCompletableFuture());
    }
    for (var r : registered) assertTrue(r.get(90, TimeUnit.SECONDS).isSuccess());
    return ids;
  }
}
