package messenger.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import messenger.chat.ChatMessage;
import messenger.chat.ReceiptBook;
import messenger.chat.Roster;
import org.junit.jupiter.api.Test;

class ReceiptTallyTest {

  private static ChatMessage message(long seq, String sender) {
    return new ChatMessage("g-1", seq, "m" + seq, sender, "hi", Instant.EPOCH);
  }

  @Test
  void countsTheOtherMembersWhoHadTheMessageAndWhoseMarkersReachIt() {
    // alice founded the group with bob and carol; dave was added by the entry at seq 5.
    var members = new java.util.TreeMap<String, Roster.Membership>();
    for (String founder : List.of("alice", "bob", "carol")) {
      members.put(founder, new Roster.Membership(Roster.Role.MEMBER, 1));
    }
    members.put("dave", new Roster.Membership(Roster.Role.MEMBER, 5));
    Roster roster = new Roster(members);
    var tally =
        new ReceiptTally(
            roster,
            Map.of(
                "bob", new ReceiptBook.Marker(4, 2),
                "carol", new ReceiptBook.Marker(0, 3), // a read marker implies delivery
                "dave", new ReceiptBook.Marker(9, 9)));

    assertEquals(new ReceiptTally.Count(2, 2, 2), tally.of(message(2, "alice")));
    assertEquals(
        new ReceiptTally.Count(1, 0, 2), tally.of(message(4, "alice")), "dave joined later");
    assertEquals(new ReceiptTally.Count(1, 1, 2), tally.of(message(3, "bob")), "bob sent it");
    assertEquals(
        new ReceiptTally.Count(1, 1, 3), tally.of(message(6, "alice")), "only dave got this far");
  }
}
