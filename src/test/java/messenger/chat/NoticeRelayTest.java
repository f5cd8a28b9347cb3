package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Typing throttle, receipt batching and the presence rule, with explicit nanos and no actors. */
class NoticeRelayTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private static final Roster TRIO =
      Roster.founded(List.of("alice", "bob", "carol"), "alice", true);

  record Relayed(String userId, Notice notice) {}

  /** Records what is relayed; fan-out calls are not this class's business. */
  static final class Relays implements MemberInboxes {
    final List<Relayed> relayed = new ArrayList<>();

    @Override
    public void join(
        String userId, ConversationInfo info, long fromSeq, ActorRef<InboxProgress> r) {
      throw new AssertionError("the relay never joins");
    }

    @Override
    public void append(
        String userId,
        String conversationId,
        List<ChatMessage> messages,
        ActorRef<InboxProgress> r) {
      throw new AssertionError("the relay never appends");
    }

    @Override
    public void relay(String userId, Notice notice) {
      relayed.add(new Relayed(userId, notice));
    }

    List<Relayed> take() {
      var taken = List.copyOf(relayed);
      relayed.clear();
      return taken;
    }
  }

  private final Relays inboxes = new Relays();
  private final NoticeRelay relay = new NoticeRelay("c-1", inboxes, Duration.ofSeconds(3), 3);

  @Test
  void typingGoesToTheOtherMembersOncePerTypingInterval() {
    var bobTyping = new Notice.Typing("c-1", "bob");

    relay.typing(TRIO, "bob", 0);
    relay.typing(TRIO, "bob", 3 * SECOND - 1);

    assertEquals(
        List.of(new Relayed("alice", bobTyping), new Relayed("carol", bobTyping)), inboxes.take());

    relay.typing(TRIO, "bob", 3 * SECOND);
    assertEquals(2, inboxes.take().size(), "a full interval after the last notice passed on");
  }

  @Test
  void inAGroupLargerThanThePresenceLimitEachMemberIsPassedOnlyTheirOwnReceipts() {
    Roster four = Roster.founded(List.of("alice", "bob", "carol", "dave"), "alice", true);
    var bob = new Notice.Receipt("c-1", "bob", Notice.Kind.DELIVERED, 5);
    var carol = new Notice.Receipt("c-1", "carol", Notice.Kind.READ, 4);
    relay.receipt(four, bob);
    relay.receipt(four, carol);

    relay.flush(four);

    assertEquals(
        java.util.Set.of(
            new Relayed("bob", new Notice.Receipts(List.of(bob))),
            new Relayed("carol", new Notice.Receipts(List.of(carol)))),
        java.util.Set.copyOf(inboxes.take()));
  }

  @Test
  void eachMemberIsThrottledOnTheirOwn() {
    relay.typing(TRIO, "bob", 0);
    relay.typing(TRIO, "carol", 1);

    assertEquals(4, inboxes.take().size());
  }

  @Test
  void typistsAreForgottenOnceTheirIntervalIsOverSoTheMemoryStaysSmall() {
    relay.typing(TRIO, "alice", 0);
    relay.typing(TRIO, "bob", SECOND);
    assertEquals(2, relay.typistsRemembered());

    relay.typing(TRIO, "carol", 3 * SECOND + 1);

    assertEquals(2, relay.typistsRemembered(), "Alice typed more than an interval ago");
  }

  @Test
  void receiptsOfMembersAreHeldUntilTheFlushThenGoToEveryMemberTogether() {
    var bobRead = new Notice.Receipt("c-1", "bob", Notice.Kind.READ, 3);
    var carolGot = new Notice.Receipt("c-1", "carol", Notice.Kind.DELIVERED, 2);
    relay.receipt(TRIO, bobRead);
    relay.receipt(TRIO, carolGot);
    relay.receipt(TRIO, new Notice.Receipt("c-1", "dave", Notice.Kind.READ, 1));
    assertEquals(List.of(), inboxes.take());

    relay.flush(TRIO);

    var batch = new Notice.Receipts(List.of(bobRead, carolGot));
    assertEquals(
        List.of(
            new Relayed("alice", batch), new Relayed("bob", batch), new Relayed("carol", batch)),
        inboxes.take());
    relay.flush(TRIO);
    assertEquals(List.of(), inboxes.take(), "nothing new, nothing sent");
  }

  @Test
  void presenceGoesToTheOthersInGroupsOfAtMostPresenceMaxGroup() {
    var online = new Notice.Presence("bob", true, null);

    relay.presence(TRIO, online);
    assertEquals(
        List.of(new Relayed("alice", online), new Relayed("carol", online)), inboxes.take());

    var four = Roster.founded(List.of("alice", "bob", "carol", "dave"), "alice", true);
    relay.presence(four, online);
    relay.presence(TRIO, new Notice.Presence("erin", true, null));
    assertEquals(List.of(), inboxes.take(), "too large a group; no member");
  }
}
