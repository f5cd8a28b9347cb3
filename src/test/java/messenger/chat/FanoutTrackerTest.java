package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import messenger.chat.FanoutTracker.Append;
import messenger.chat.FanoutTracker.Join;
import messenger.chat.FanoutTracker.Load;
import messenger.chat.FanoutTracker.Probe;
import org.junit.jupiter.api.Test;

/** The fan-out state machine on its own: explicit nanos, no actors, no clocks. */
class FanoutTrackerTest {

  private static final long RETRY = 1_000;
  private static final List<String> MEMBERS = List.of("alice", "bob");

  private static ChatMessage message(long seq) {
    return new ChatMessage(
        "c-1", seq, "m-" + seq, "alice", "body " + seq, Instant.ofEpochSecond(1_000 + seq));
  }

  private static java.util.Map<String, Long> joinedAtOne(List<String> members) {
    java.util.Map<String, Long> joined = new java.util.LinkedHashMap<>();
    for (String member : members) joined.put(member, 1L);
    return joined;
  }

  private static List<ChatMessage> messages(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(FanoutTrackerTest::message).toList();
  }

  private static FanoutTracker tracker(int batchSize, int recentLimit) {
    return new FanoutTracker(batchSize, recentLimit, RETRY, 1000);
  }

  /** Persists messages {@code from..to} into the tracker. */
  private static void persist(FanoutTracker tracker, long from, long to) {
    messages(from, to).forEach(tracker::persisted);
  }

  @Test
  void createdMembersAreJoinedFirst() {
    var tracker = tracker(10, 100);
    tracker.created(MEMBERS);

    assertEquals(List.of(new Join("alice", 1), new Join("bob", 1)), tracker.actions(0, 0));
  }

  @Test
  void recoveredMembersAreProbedBecauseTheirProgressIsUnknown() {
    var tracker = tracker(10, 100);
    tracker.recovered(joinedAtOne(MEMBERS));

    assertEquals(List.of(new Probe("alice"), new Probe("bob")), tracker.actions(5, 0));
  }

  @Test
  void recoveryForgetsMembersThatAreNoLongerInTheConversation() {
    var tracker = tracker(10, 100);
    tracker.created(List.of("alice", "bob", "carol"));
    tracker.recovered(joinedAtOne(MEMBERS));

    assertEquals(List.of(new Join("alice", 1), new Join("bob", 1)), tracker.actions(0, 0));
  }

  @Test
  void aMemberThatConfirmedEverythingGetsNothing() {
    var tracker = tracker(10, 100);
    tracker.created(List.of("alice"));
    tracker.actions(0, 0);
    tracker.progress("alice", 0);

    assertEquals(List.of(), tracker.actions(0, 1));
  }

  @Test
  void aJoinedMemberGetsTheNewMessagesAppended() {
    var tracker = tracker(10, 100);
    tracker.created(List.of("alice"));
    tracker.actions(0, 0);
    tracker.progress("alice", 0);
    persist(tracker, 1, 2);

    assertEquals(List.of(new Append("alice", messages(1, 2))), tracker.actions(2, 1));
  }

  @Test
  void onlyOneRequestPerMemberIsInFlightAndLaterMessagesBatchIntoTheNextAppend() {
    var tracker = tracker(10, 100);
    tracker.created(List.of("alice"));
    tracker.actions(0, 0);
    tracker.progress("alice", 0);

    persist(tracker, 1, 1);
    assertEquals(List.of(new Append("alice", messages(1, 1))), tracker.actions(1, 1));
    persist(tracker, 2, 2);
    assertEquals(List.of(), tracker.actions(2, 2), "a request is still in flight");
    persist(tracker, 3, 3);
    assertEquals(List.of(), tracker.actions(3, 3), "a request is still in flight");

    tracker.progress("alice", 1);
    assertEquals(List.of(new Append("alice", messages(2, 3))), tracker.actions(3, 4));
  }

  @Test
  void aJoinInFlightHoldsBackAppendsUntilTheMemberAnswers() {
    var tracker = tracker(10, 100);
    tracker.created(MEMBERS);
    tracker.actions(0, 0);
    tracker.progress("alice", 0);
    persist(tracker, 1, 2);

    assertEquals(List.of(new Append("alice", messages(1, 2))), tracker.actions(2, 1));

    tracker.progress("bob", 0);
    assertEquals(List.of(new Append("bob", messages(1, 2))), tracker.actions(2, 2));
  }

  @Test
  void anAppendCarriesAtMostBatchSizeMessages() {
    var tracker = tracker(3, 100);
    tracker.created(List.of("alice"));
    tracker.actions(0, 0);
    tracker.progress("alice", 0);
    persist(tracker, 1, 7);

    assertEquals(List.of(new Append("alice", messages(1, 3))), tracker.actions(7, 1));
    tracker.progress("alice", 3);
    assertEquals(List.of(new Append("alice", messages(4, 6))), tracker.actions(7, 2));
    tracker.progress("alice", 6);
    assertEquals(List.of(new Append("alice", messages(7, 7))), tracker.actions(7, 3));
    tracker.progress("alice", 7);
    assertEquals(List.of(), tracker.actions(7, 4));
  }

  @Test
  void progressBeyondWhatIsInMemoryAfterRecoveryYieldsALoadOfTheMissingRange() {
    var tracker = tracker(10, 100);
    tracker.recovered(joinedAtOne(MEMBERS));
    tracker.actions(25, 0);
    tracker.progress("alice", 25);
    tracker.progress("bob", 4);

    assertEquals(List.of(new Load("bob", 5, 14)), tracker.actions(25, 1));
  }

  @Test
  void aMemberBehindTheOldestMessageKeptInMemoryIsServedByALoad() {
    var tracker = tracker(10, 3);
    tracker.created(MEMBERS);
    tracker.actions(0, 0);
    tracker.progress("alice", 0);
    tracker.progress("bob", 0);
    tracker.actions(0, 1);
    persist(tracker, 1, 6);

    // Only 4..6 are kept; both members need 1 first.
    assertEquals(List.of(new Load("alice", 1, 6), new Load("bob", 1, 6)), tracker.actions(6, 2));
  }

  @Test
  void aLoadThatFailedIsRetriedByTheNextActions() {
    var tracker = tracker(10, 100);
    tracker.recovered(joinedAtOne(List.of("bob")));
    tracker.actions(3, 0);
    tracker.progress("bob", 1);
    assertEquals(List.of(new Load("bob", 2, 3)), tracker.actions(3, 1));
    assertEquals(List.of(), tracker.actions(3, 2), "the load is in flight");

    tracker.loadFailed("bob");

    assertEquals(List.of(new Load("bob", 2, 3)), tracker.actions(3, 3));
  }

  @Test
  void anUnansweredRequestIsResentOnlyOnceTheRetryIntervalHasPassed() {
    var tracker = tracker(10, 100);
    tracker.created(List.of("alice"));
    tracker.actions(0, 0);
    tracker.progress("alice", 0);
    persist(tracker, 1, 1);
    long sentAt = 5_000;
    assertEquals(List.of(new Append("alice", messages(1, 1))), tracker.actions(1, sentAt));

    tracker.expire(sentAt + RETRY - 1);
    assertEquals(List.of(), tracker.actions(1, sentAt + RETRY - 1));

    tracker.expire(sentAt + RETRY);
    assertEquals(List.of(new Append("alice", messages(1, 1))), tracker.actions(1, sentAt + RETRY));
  }

  @Test
  void expiryRestartsTheRetryIntervalFromTheResend() {
    var tracker = tracker(10, 100);
    tracker.created(List.of("alice"));
    assertEquals(List.of(new Join("alice", 1)), tracker.actions(0, 0));
    tracker.expire(RETRY);
    assertEquals(List.of(new Join("alice", 1)), tracker.actions(0, RETRY));

    tracker.expire(2 * RETRY - 1);
    assertEquals(List.of(), tracker.actions(0, 2 * RETRY - 1));
  }

  @Test
  void aMemberThatStaysSilentIsRetriedAtDoublingIntervalsUntilItAnswers() {
    var tracker = tracker(10, 100);
    tracker.created(List.of("alice"));
    long sentAt = 0;
    assertEquals(List.of(new Join("alice", 1)), tracker.actions(0, sentAt));
    for (long interval = RETRY; interval <= 16 * RETRY; interval *= 2) {
      tracker.expire(sentAt + interval - 1);
      assertEquals(
          List.of(), tracker.actions(0, sentAt + interval - 1), "resent before " + interval);
      tracker.expire(sentAt + interval);
      sentAt += interval;
      assertEquals(List.of(new Join("alice", 1)), tracker.actions(0, sentAt));
    }
    // Capped at 16 intervals.
    tracker.expire(sentAt + 16 * RETRY);
    assertEquals(List.of(new Join("alice", 1)), tracker.actions(0, sentAt + 16 * RETRY));
    sentAt += 16 * RETRY;

    // An answer brings the interval back to one.
    tracker.progress("alice", 0);
    persist(tracker, 1, 1);
    assertEquals(List.of(new Append("alice", messages(1, 1))), tracker.actions(1, sentAt));
    tracker.expire(sentAt + RETRY);
    assertEquals(List.of(new Append("alice", messages(1, 1))), tracker.actions(1, sentAt + RETRY));
  }

  @Test
  void progressFromAnUnknownUserIsIgnored() {
    var tracker = tracker(10, 100);
    tracker.created(List.of("alice"));
    tracker.actions(0, 0);
    tracker.progress("mallory", 0);

    assertEquals(List.of(), tracker.actions(0, 1), "alice's join is still in flight");
    assertFalse(tracker.caughtUp(0));
  }

  @Test
  void staleProgressNeverMovesAMemberBackwards() {
    var tracker = tracker(10, 100);
    tracker.created(List.of("alice"));
    tracker.actions(0, 0);
    tracker.progress("alice", 0);
    persist(tracker, 1, 3);
    tracker.actions(3, 1);
    tracker.progress("alice", 3);
    tracker.progress("alice", 1);

    assertEquals(List.of(), tracker.actions(3, 2));
    assertTrue(tracker.caughtUp(3));
  }

  @Test
  void caughtUpOnlyWhenEveryMemberConfirmedTheLastSeq() {
    var tracker = tracker(10, 100);
    tracker.created(MEMBERS);
    assertFalse(tracker.caughtUp(0), "nobody has joined yet");
    tracker.actions(0, 0);
    tracker.progress("alice", 0);
    assertFalse(tracker.caughtUp(0), "bob has not joined yet");
    tracker.progress("bob", 0);
    assertTrue(tracker.caughtUp(0));

    persist(tracker, 1, 2);
    tracker.actions(2, 1);
    assertFalse(tracker.caughtUp(2));
    tracker.progress("alice", 2);
    tracker.progress("bob", 1);
    assertFalse(tracker.caughtUp(2), "bob is one behind");
    tracker.progress("bob", 2);
    assertTrue(tracker.caughtUp(2));
  }

  @Test
  void recoveredMembersAreNotCaughtUpUntilProbed() {
    var tracker = tracker(10, 100);
    tracker.recovered(joinedAtOne(MEMBERS));
    assertFalse(tracker.caughtUp(0));
  }

  @Test
  void messagesEveryMemberHasAreDroppedFromMemory() {
    var tracker = tracker(10, 100);
    tracker.created(MEMBERS);
    tracker.actions(0, 0);
    tracker.progress("alice", 0);
    tracker.progress("bob", 0);
    persist(tracker, 1, 3);
    tracker.actions(3, 1);
    tracker.progress("alice", 3);
    tracker.progress("bob", 2);
    // Message 3 is still needed by bob, so it stays; 1 and 2 are gone.
    assertEquals(List.of(new Append("bob", messages(3, 3))), tracker.actions(3, 2));

    // A member added now needs 1 and 2, which memory no longer holds: they must be loaded.
    tracker.created(List.of("carol"));
    tracker.actions(3, 3);
    tracker.progress("carol", 0);
    assertEquals(List.of(new Load("carol", 1, 3)), tracker.actions(3, 4));
  }

  @Test
  void messagesAreKeptWhileAnyMemberStillNeedsThem() {
    var tracker = tracker(10, 100);
    tracker.created(MEMBERS);
    tracker.actions(0, 0);
    tracker.progress("alice", 0);
    tracker.progress("bob", 0);
    persist(tracker, 1, 3);
    tracker.actions(3, 1);
    tracker.progress("alice", 3);

    // bob has none of them yet: all three are still in memory for his next append.
    tracker.progress("bob", 0);
    assertEquals(List.of(new Append("bob", messages(1, 3))), tracker.actions(3, 2));
  }

  // ---- bounded in-flight work and membership changes ----

  @Test
  void noMoreThanMaxInFlightRequestsAreOutAndEveryMemberGetsATurn() {
    var tracker = new FanoutTracker(10, 100, RETRY, 2);
    List<String> five = List.of("m1", "m2", "m3", "m4", "m5");
    tracker.created(five);

    assertEquals(List.of(new Join("m1", 1), new Join("m2", 1)), tracker.actions(0, 0));
    assertEquals(List.of(), tracker.actions(0, 0), "two are out: nothing more until one answers");
    tracker.progress("m1", 0);
    assertEquals(List.of(new Join("m3", 1)), tracker.actions(0, 0));
    tracker.progress("m2", 0);
    tracker.progress("m3", 0);
    assertEquals(List.of(new Join("m4", 1), new Join("m5", 1)), tracker.actions(0, 0));
    assertEquals(2, tracker.inFlight());
  }

  @Test
  void expiredRequestsFreeTheirInFlightSlots() {
    var tracker = new FanoutTracker(10, 100, RETRY, 1);
    tracker.created(List.of("m1", "m2"));
    assertEquals(List.of(new Join("m1", 1)), tracker.actions(0, 0));

    tracker.expire(RETRY);

    assertEquals(0, tracker.inFlight());
    assertEquals(List.of(new Join("m2", 1)), tracker.actions(0, RETRY));
  }

  @Test
  void anAddedMemberJoinsFromItsSeqAndIsSentNothingBefore() {
    var tracker = tracker(10, 100);
    tracker.created(MEMBERS);
    tracker.actions(0, 0);
    MEMBERS.forEach(member -> tracker.progress(member, 0));
    persist(tracker, 1, 3);
    tracker.added("carol", 3);

    assertTrue(tracker.actions(3, 0).contains(new Join("carol", 3)));
    tracker.progress("carol", 2);
    assertEquals(List.of(new Append("carol", messages(3, 3))), tracker.actions(3, 1));
  }

  @Test
  void aRemovedMemberIsSentUpToItsRemovalThenForgotten() {
    var tracker = tracker(10, 100);
    tracker.created(MEMBERS);
    tracker.actions(0, 0);
    MEMBERS.forEach(member -> tracker.progress(member, 0));
    persist(tracker, 1, 2);
    tracker.removed("bob", 2);
    persist(tracker, 3, 3);

    assertTrue(tracker.actions(3, 0).contains(new Append("bob", messages(1, 2))));
    tracker.progress("bob", 2);
    tracker.progress("alice", 3);

    assertEquals(List.of(), tracker.actions(3, 1), "bob is done for good");
    assertTrue(tracker.caughtUp(3));
  }

  // ---- many members: the bound and the turns hold at scale ----

  private static List<String> crowd(int size) {
    return java.util.stream.IntStream.range(0, size).mapToObj(i -> "m" + i).toList();
  }

  @Test
  void withThousandsOfMembersNoMoreThanMaxInFlightAreOutAndNoMemberHasTwoAtOnce() {
    int maxInFlight = 64;
    var tracker = new FanoutTracker(10, 100, RETRY, maxInFlight);
    List<String> members = crowd(2_500);
    tracker.created(members);
    var served = new java.util.HashMap<String, Integer>();
    long lastSeq = 0;
    long now = 0;
    // Posts keep coming while members answer, one round of answers per post.
    for (int round = 0; round < 200; round++) {
      persist(tracker, lastSeq + 1, lastSeq + 1);
      lastSeq++;
      List<FanoutTracker.Action> sent = tracker.actions(lastSeq, now++);
      assertTrue(tracker.inFlight() <= maxInFlight, () -> tracker.inFlight() + " in flight");
      var inThisRound = new java.util.HashSet<String>();
      for (FanoutTracker.Action action : sent) {
        assertTrue(inThisRound.add(action.member()), "two requests to " + action.member());
        served.merge(action.member(), 1, Integer::sum);
      }
      for (FanoutTracker.Action action : sent) {
        long answer = action instanceof Append append ? append.messages().get(0).seq() : 0;
        tracker.progress(action.member(), answer);
      }
    }
    // 200 rounds of 64 turns is 12,800 turns: every member had five before any had a seventh.
    assertEquals(members.size(), served.size(), "every member had a turn");
    int fewest = java.util.Collections.min(served.values());
    int most = java.util.Collections.max(served.values());
    assertTrue(most - fewest <= 1, () -> "turns from " + fewest + " to " + most);
  }

  @Test
  void membersTakeTurnsInTheOrderTheyBecameIdleSoNoneWaitsForASecondRoundOfTheOthers() {
    var tracker = new FanoutTracker(10, 100, RETRY, 3);
    List<String> members = crowd(7);
    tracker.created(members);
    var order = new java.util.ArrayList<String>();
    // Everyone joins; then each post goes out three at a time, the answered going to the back.
    for (int round = 0; round < 6; round++) {
      List<FanoutTracker.Action> sent = tracker.actions(0, round);
      sent.forEach(action -> order.add(action.member()));
      sent.forEach(action -> tracker.progress(action.member(), 0));
    }
    assertEquals(members, order, "each joined once, in turn, three at a time");

    persist(tracker, 1, 1);
    order.clear();
    for (int round = 0; round < 3; round++) {
      List<FanoutTracker.Action> sent = tracker.actions(1, 10 + round);
      sent.forEach(action -> order.add(action.member()));
      sent.forEach(action -> tracker.progress(action.member(), 1));
    }
    assertEquals(members, order, "the post went to each once, in the same turns");
    assertTrue(tracker.caughtUp(1));
  }

  @Test
  void aRequestThatExpiredGoesToTheBackOfTheTurnsBehindThoseWaiting() {
    var tracker = new FanoutTracker(10, 100, RETRY, 1);
    tracker.created(List.of("m1", "m2", "m3"));
    assertEquals(List.of(new Join("m1", 1)), tracker.actions(0, 0));

    tracker.expire(RETRY);

    assertEquals(List.of(new Join("m2", 1)), tracker.actions(0, RETRY));
    tracker.progress("m2", 0);
    assertEquals(List.of(new Join("m3", 1)), tracker.actions(0, RETRY));
    tracker.progress("m3", 0);
    assertEquals(List.of(new Join("m1", 1)), tracker.actions(0, RETRY));
  }
}
