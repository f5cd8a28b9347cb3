package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import messenger.MessengerNode;
import messenger.delivery.ConversationSummary;
import messenger.delivery.UserInbox;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.Asks;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A crash in the middle of a fan-out to 1,000 members loses nothing and duplicates nothing.
 *
 * <p>Node A acknowledges {@value #MESSAGES} messages to a group of {@value #MEMBERS} and dies after
 * {@value #APPENDS_BEFORE_CRASH} of the inbox appends of their fan-out have gone out: some members
 * hold a few of the messages, some all, about half none. Node B starts on the same storage and
 * nobody touches the group; its remembered entity restarts, probes every member and finishes (an
 * inbox that starts on B also reads, on its own, what the group's log has beyond what it wrote).
 * Every inbox then has heard of the conversation up to {@value #MESSAGES}, with every message from
 * others counted once as unread. Three members also watch on real WebSocket devices (one connected
 * through the crash, one during the recovery, one after it): each sees seq 1 to {@value #MESSAGES}
 * once, in order, with the message ids the posts were acknowledged with (the one connected through
 * the crash after dropping by messageId what it is sent again of what it had acknowledged: acks are
 * written coalesced, and a crash may cost the last ones).
 */
@Timeout(240)
class GroupFanoutCrashIntegrationTest {

  private static final int MEMBERS = 1000;
  private static final int MESSAGES = 20;

  /** About half of the first appends to the 1,000 members: the crash point. */
  private static final int APPENDS_BEFORE_CRASH = MEMBERS / 2;

  /** Appends that carry message 1 alone, before the others are posted: members caught part-way. */
  private static final int APPENDS_OF_THE_FIRST_MESSAGE = 100;

  /** Asks to sharded entities outstanding at once, so the test does not flood a two-core node. */
  private static final int PARALLEL_ASKS = 64;

  private static final Duration ASK = Duration.ofSeconds(30);

  /** Both nodes sign and check tokens with it: a device registered on A connects to B. */
  private static final String JWT_SECRET = "group-fanout-crash-test-secret-0123456789";

  /**
   * Lets joins, probes and appends through until {@code appendsBeforeCrash} non-empty appends have
   * gone out, then drops everything, as a node that died would. Remembers the highest seq it passed
   * on to each member, which is where that member's inbox must stand at the crash.
   */
  private static final class DiesMidFanout implements MemberInboxes {
    private final MemberInboxes real;
    private final int appendsBeforeCrash;
    private final AtomicInteger appends = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final Map<String, Long> forwardedUpTo = new ConcurrentHashMap<>();

    DiesMidFanout(MemberInboxes real, int appendsBeforeCrash) {
      this.real = real;
      this.appendsBeforeCrash = appendsBeforeCrash;
    }

    private boolean dead() {
      return appends.get() >= appendsBeforeCrash;
    }

    @Override
    public void join(
        String userId, ConversationInfo info, long fromSeq, ActorRef<InboxProgress> replyTo) {
      if (dead()) dropped.incrementAndGet();
      else real.join(userId, info, fromSeq, replyTo);
    }

    @Override
    public void append(
        String userId,
        String conversationId,
        List<ChatMessage> messages,
        ActorRef<InboxProgress> replyTo) {
      if (messages.isEmpty() ? dead() : appends.getAndIncrement() >= appendsBeforeCrash) {
        dropped.incrementAndGet();
        return;
      }
      if (!messages.isEmpty()) {
        forwardedUpTo.merge(userId, messages.get(messages.size() - 1).seq(), Math::max);
      }
      real.append(userId, conversationId, messages, replyTo);
    }

    @Override
    public void relay(String userId, Notice notice) {
      if (!dead()) real.relay(userId, notice);
    }
  }

  @Test
  void aCrashMidFanoutToAThousandMembersLosesNothingAndDuplicatesNothing() throws Exception {
    long began = System.nanoTime();
    String keyspace = "groupfanout_" + UUID.randomUUID().toString().substring(0, 8);
    AtomicReference<DiesMidFanout> fanout = new AtomicReference<>();
    MessengerNode doomed =
        MessengerNode.start(
            TestServer.inKeyspace(
                keyspace,
                Map.of(
                    "messenger.auth.jwt-secret",
                    JWT_SECRET,
                    // An abrupt stop: no shard hand-off, no leaving, as when a process is killed.
                    "akka.coordinated-shutdown.run-by-actor-system-terminate",
                    "off")),
            real -> {
              fanout.set(new DiesMidFanout(real, APPENDS_BEFORE_CRASH));
              return fanout.get();
            });
    MessengerNode recovered = null;
    List<WsClient> devices = new ArrayList<>();
    try {
      // ---- node A: 1,000 members, a group, 20 acknowledged messages, a crash mid fan-out ----
      Api api = new Api(doomed.httpPort());
      List<User> watchers =
          List.of(api.newUser("through"), api.newUser("during"), api.newUser("after"));
      List<String> members = new ArrayList<>(watchers.stream().map(User::userId).toList());
      ClusterSharding onA = ClusterSharding.get(doomed.system());
      members.addAll(registerDirectly(onA, MEMBERS - watchers.size()));
      String group = "g-" + UUID.randomUUID();
      onA.entityRefFor(Conversation.ENTITY_KEY, group)
          .<Conversation.Created>askWithStatus(
              replyTo ->
                  new Conversation.Create(
                      ConversationType.GROUP, members, members.get(3), "a thousand", replyTo),
              ASK)
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      WsClient through = WsClient.connect(api.port(), watchers.get(0).token(), "phone");
      devices.add(through);

      List<Conversation.Posted> acks = new ArrayList<>();
      acks.add(post(onA, group, members.get(3), 1).get(60, TimeUnit.SECONDS));
      Polling.until(
          Duration.ofSeconds(30),
          () -> fanout.get().appends.get() >= APPENDS_OF_THE_FIRST_MESSAGE,
          "the fan-out of message 1 is under way");
      // The rest in one burst, as a busy group sends them: some members get them in one batch.
      List<CompletableFuture<Conversation.Posted>> burst = new ArrayList<>();
      for (int n = 2; n <= MESSAGES; n++) burst.add(post(onA, group, members.get(3 + n % 5), n));
      for (var posted : burst) acks.add(posted.get(60, TimeUnit.SECONDS));
      assertEquals(
          LongStream.rangeClosed(1, MESSAGES).boxed().toList(),
          acks.stream().map(Conversation.Posted::seq).toList(),
          "every message acknowledged, in order");
      Polling.until(Duration.ofSeconds(30), () -> fanout.get().dropped.get() > 0, "the node dies");

      // Where the crash left each inbox: exactly what went out before it (the forwarded appends
      // land while the process is still up; the point is that the rest never does).
      Map<String, Long> atCrash = new HashMap<>();
      Polling.until(
          Duration.ofSeconds(30),
          () -> {
            atCrash.putAll(lastSeqs(onA, members, group));
            return members.stream()
                .allMatch(
                    m -> atCrash.get(m).equals(fanout.get().forwardedUpTo.getOrDefault(m, 0L)));
          },
          "the appends that went out before the crash have landed");
      long none = members.stream().filter(m -> atCrash.get(m) == 0).count();
      long partial =
          members.stream().filter(m -> atCrash.get(m) > 0 && atCrash.get(m) < MESSAGES).count();
      Map<Long, Long> histogram = new TreeMap<>();
      atCrash.values().forEach(seq -> histogram.merge(seq, 1L, Long::sum));
      System.out.printf(
          "GroupFanoutCrash: at the crash (last seq=members) %s; the watchers hold %s%n",
          histogram, watchers.stream().map(w -> atCrash.get(w.userId())).toList());
      assertTrue(none >= MEMBERS - APPENDS_BEFORE_CRASH, "half the members have nothing: " + none);
      assertTrue(partial > 0, "some members hold some of the messages, not all: " + partial);

      // The device connected through the crash has exactly what its inbox held, and acknowledged
      // it.
      long heldBefore = atCrash.get(watchers.get(0).userId());
      List<JsonNode> beforeCrash = new ArrayList<>();
      if (heldBefore > 0) {
        beforeCrash.addAll(through.messages((int) heldBefore).items());
        through.ack(beforeCrash.get(beforeCrash.size() - 1).path("cursor").asLong());
        Polling.until(
            Duration.ofSeconds(10),
            () -> ackedCursor(onA, watchers.get(0).userId(), "phone") == heldBefore,
            "the inbox has taken the device's ack");
      }
      assertTrue(through.noFrame("messages", Duration.ofMillis(300)), "nothing beyond the inbox");

      doomed.system().terminate();
      doomed.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);

      // ---- node B: same storage, nobody touches the group ----
      recovered =
          MessengerNode.start(
              TestServer.inKeyspace(keyspace, Map.of("messenger.auth.jwt-secret", JWT_SECRET)));
      long recoveryStarted = System.nanoTime();
      ClusterSharding onB = ClusterSharding.get(recovered.system());
      Map<String, Long> lagging = new HashMap<>();
      members.stream()
          .filter(m -> atCrash.get(m) < MESSAGES)
          .forEach(m -> lagging.put(m, atCrash.get(m)));
      int laggingAtCrash = lagging.size();
      Polling.until(
          Duration.ofSeconds(60),
          () ->
              poll(onB, lagging, group) < laggingAtCrash
                  || lagging.entrySet().stream()
                      .anyMatch(e -> e.getValue() > atCrash.get(e.getKey())),
          "the remembered group restarts by itself and moves an inbox on");
      // Only now: a device's presence and acks are signals to the group, which would start it.
      Api apiB = new Api(recovered.httpPort());
      WsClient throughAgain = WsClient.connect(apiB.port(), watchers.get(0).token(), "phone");
      devices.add(throughAgain);
      WsClient during = WsClient.connect(apiB.port(), watchers.get(1).token(), "phone");
      devices.add(during);
      int laggingWhenConnected = lagging.size();
      try {
        Polling.until(
            Duration.ofSeconds(120),
            () -> poll(onB, lagging, group) == 0,
            "every inbox holds all " + MESSAGES + " messages");
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage()
                + "; "
                + lagging.size()
                + " lag, e.g. (member=last seq) "
                + sample(lagging),
            e);
      }
      long recoveryMillis = Duration.ofNanos(System.nanoTime() - recoveryStarted).toMillis();

      // Nothing lost nor counted twice: a member who never posted has every message unread.
      Set<String> senders = Set.copyOf(members.subList(3, 8));
      List<String> readers = members.stream().filter(m -> !senders.contains(m)).toList();
      Map<Integer, Long> unread = new TreeMap<>();
      for (UserInbox.Conversations list :
          Asks.each(
              readers,
              PARALLEL_ASKS,
              Duration.ofSeconds(60),
              m ->
                  onB.entityRefFor(UserInbox.ENTITY_KEY, m)
                      .ask(UserInbox.ListConversations::new, ASK))) {
        list.conversations().forEach(c -> unread.merge(c.unread(), 1L, Long::sum));
      }
      assertEquals(Map.of(MESSAGES, (long) readers.size()), unread, "unread -> inboxes");

      // Devices: seq 1..20, each once, in order, the messages that were acknowledged.
      // Acks are written every ack-flush-interval, so the crash may have cost the device's last
      // ack: it may be sent again entries it had acknowledged, and drops them by messageId as every
      // client must (not by cursor: a repeat may come with another one). Anything else twice still
      // fails the seqs below.
      Set<String> handedBefore =
          beforeCrash.stream().map(i -> i.path("messageId").asText()).collect(Collectors.toSet());
      List<JsonNode> afterCrash =
          throughAgain.messagesNotIn(handedBefore, MESSAGES - beforeCrash.size());
      assertCursorsRise(beforeCrash, "device connected through the crash, on A");
      assertCursorsRise(afterCrash, "device connected through the crash, on B");
      List<JsonNode> throughAll = new ArrayList<>(beforeCrash);
      throughAll.addAll(afterCrash);
      assertDelivered(acks, group, throughAll, "device connected through the crash");
      List<JsonNode> duringAll = during.messages(MESSAGES).items();
      assertCursorsRise(duringAll, "device connected during recovery");
      assertDelivered(acks, group, duringAll, "device connected during recovery");
      WsClient after = WsClient.connect(apiB.port(), watchers.get(2).token(), "phone");
      devices.add(after);
      List<JsonNode> afterAll = after.messages(MESSAGES).items();
      assertCursorsRise(afterAll, "device connected after recovery");
      assertDelivered(acks, group, afterAll, "device connected after recovery");
      for (WsClient device : List.of(throughAgain, during, after)) {
        assertTrue(device.noFrame("messages", Duration.ofMillis(500)), "no message twice");
      }
      System.out.printf(
          "GroupFanoutCrash: devices connected to B with %d inboxes lagging; recovery to all %d"
              + " took %d ms; the test %d ms%n",
          laggingWhenConnected,
          MEMBERS,
          recoveryMillis,
          Duration.ofNanos(System.nanoTime() - began).toMillis());
    } finally {
      devices.forEach(WsClient::close);
      if (!doomed.system().getWhenTerminated().toCompletableFuture().isDone())
        doomed.system().terminate();
      if (recovered != null) recovered.stop();
    }
  }

  private static CompletableFuture<Conversation.Posted> post(
      ClusterSharding sharding, String group, String sender, int n) {
    return sharding
        .entityRefFor(Conversation.ENTITY_KEY, group)
        .<Conversation.Posted>askWithStatus(
            replyTo -> new Conversation.Post(sender, "m-" + n, "message " + n, replyTo), ASK)
        .toCompletableFuture();
  }

  private static String sample(Map<String, Long> lagging) {
    return lagging.entrySet().stream().limit(5).toList().toString();
  }

  private static void assertDelivered(
      List<Conversation.Posted> acks, String group, List<JsonNode> items, String device) {
    assertEquals(
        LongStream.rangeClosed(1, MESSAGES).boxed().toList(),
        items.stream().map(i -> i.path("seq").asLong()).toList(),
        device + ": seqs");
    for (int i = 0; i < MESSAGES; i++) {
      JsonNode item = items.get(i);
      assertEquals(group, item.path("conversationId").asText(), device);
      assertEquals(
          acks.get(i).messageId(), item.path("messageId").asText(), device + ": seq " + (i + 1));
      assertEquals("message " + (i + 1), item.path("body").asText(), device);
    }
  }

  /** On one connection cursors rise; across connections they are not compared. */
  private static void assertCursorsRise(List<JsonNode> oneConnection, String device) {
    for (int i = 1; i < oneConnection.size(); i++) {
      assertTrue(
          oneConnection.get(i).path("cursor").asLong()
              > oneConnection.get(i - 1).path("cursor").asLong(),
          device + ": cursors rise on one connection: " + oneConnection);
    }
  }

  /**
   * Asks the lagging members how far they hold the group, forgets those that hold all of it and
   * keeps the others' progress; answers how many still lag.
   */
  private static int poll(ClusterSharding sharding, Map<String, Long> lagging, String group) {
    List<String> asked = List.copyOf(lagging.keySet());
    try {
      Map<String, Long> now = lastSeqs(sharding, asked, group);
      now.forEach(
          (member, seq) -> {
            if (seq == MESSAGES) lagging.remove(member);
            else lagging.put(member, seq);
          });
    } catch (Exception e) {
      // A slow answer on a loaded machine: ask again at the next poll.
    }
    return lagging.size();
  }

  /** How far each member's inbox holds the group (0 before it holds anything). */
  private static Map<String, Long> lastSeqs(
      ClusterSharding sharding, List<String> members, String group) {
    try {
      List<UserInbox.Conversations> lists =
          Asks.each(
              members,
              PARALLEL_ASKS,
              Duration.ofSeconds(60),
              m ->
                  sharding
                      .entityRefFor(UserInbox.ENTITY_KEY, m)
                      .ask(UserInbox.ListConversations::new, ASK));
      Map<String, Long> seqs = new HashMap<>();
      for (int i = 0; i < members.size(); i++) {
        List<ConversationSummary> conversations = lists.get(i).conversations();
        assertTrue(conversations.size() <= 1, "the group is the only conversation");
        seqs.put(
            members.get(i),
            conversations.stream()
                .filter(c -> c.info().conversationId().equals(group))
                .mapToLong(ConversationSummary::lastSeq)
                .findFirst()
                .orElse(0));
      }
      return seqs;
    } catch (Exception e) {
      throw new IllegalStateException("asking the inboxes failed", e);
    }
  }

  private static long ackedCursor(ClusterSharding sharding, String userId, String deviceId) {
    return sharding
        .entityRefFor(UserInbox.ENTITY_KEY, userId)
        .ask(UserInbox.ListDevices::new, ASK)
        .toCompletableFuture()
        .join()
        .devices()
        .stream()
        .filter(d -> d.deviceId().equals(deviceId))
        .mapToLong(UserInbox.DeviceView::ackedCursor)
        .findFirst()
        .orElse(0);
  }

  /** Inboxes registered directly: HTTP registration would spend minutes hashing passwords. */
  private static List<String> registerDirectly(ClusterSharding sharding, int count)
      throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) ids.add("u-" + UUID.randomUUID());
    Asks.each(
        ids,
        PARALLEL_ASKS,
        Duration.ofSeconds(60),
        id ->
            sharding
                .entityRefFor(UserInbox.ENTITY_KEY, id)
                .<akka.Done>askWithStatus(
                    replyTo -> new UserInbox.Register("m" + id.substring(2, 14), "Member", replyTo),
                    ASK));
    return ids;
  }
}
