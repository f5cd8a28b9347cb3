package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DedupWindowTest {

  private static Conversation.Posted answer(long seq) {
    return new Conversation.Posted("c", "m" + seq, seq, Instant.EPOCH.plusSeconds(seq));
  }

  private static DedupWindow filled(int count, int limit) {
    DedupWindow window = DedupWindow.empty();
    for (int i = 1; i <= count; i++) window = window.with("alice", "k" + i, answer(i), limit);
    return window;
  }

  @Test
  void keepsAtLeastTheNewestLimitAnswersAndDropsTheOldestFirst() {
    DedupWindow window = filled(5_000, 1000);

    for (int i = 5_000 - 999; i <= 5_000; i++)
      assertEquals(answer(i), window.get("alice", "k" + i));
    assertNull(window.get("alice", "k1"));
    int chunk = DedupWindow.chunkSize(1000);
    assertTrue(
        window.size() >= 1000 && window.size() < 1000 + chunk, () -> "size " + window.size());
  }

  @Test
  void aSmallWindowIsExact() {
    DedupWindow window = filled(3, 2);

    assertNull(window.get("alice", "k1"));
    assertEquals(answer(2), window.get("alice", "k2"));
    assertEquals(answer(3), window.get("alice", "k3"));
    assertEquals(2, window.size());
  }

  @Test
  void answersAreKeyedBySenderAsWellAsClientMsgId() {
    DedupWindow window = DedupWindow.empty().with("alice", "k", answer(1), 10);

    assertNull(window.get("bob", "k"));
    assertEquals(answer(1), window.get("alice", "k"));
  }

  @Test
  void growingAWindowLeavesTheOldOneAsItWas() {
    DedupWindow before = filled(10, 100);
    DedupWindow after = before.with("alice", "new", answer(11), 100);

    assertNull(before.get("alice", "new"));
    assertEquals(10, before.size());
    assertEquals(11, after.size());
  }
}
