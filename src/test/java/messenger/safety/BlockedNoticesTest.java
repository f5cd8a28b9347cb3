package messenger.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import messenger.chat.Notice;
import org.junit.jupiter.api.Test;

class BlockedNoticesTest {

  private static final Set<String> BLOCKS_BOB = Set.of("bob");

  private static Notice.Receipt read(String userId) {
    return new Notice.Receipt("c-1", userId, Notice.Kind.READ, 3);
  }

  @Test
  void typingPresenceAndReceiptsOfABlockedUserAreDropped() {
    assertEquals(
        Optional.empty(), BlockedNotices.forBlocker(new Notice.Typing("c-1", "bob"), BLOCKS_BOB));
    assertEquals(
        Optional.empty(),
        BlockedNotices.forBlocker(new Notice.Presence("bob", true, null), BLOCKS_BOB));
    assertEquals(Optional.empty(), BlockedNotices.forBlocker(read("bob"), BLOCKS_BOB));
  }

  @Test
  void notesOfOthersPassUnchanged() {
    Notice typing = new Notice.Typing("c-1", "carol");
    assertEquals(Optional.of(typing), BlockedNotices.forBlocker(typing, BLOCKS_BOB));
    Notice presence = new Notice.Presence("carol", false, null);
    assertEquals(Optional.of(presence), BlockedNotices.forBlocker(presence, BLOCKS_BOB));
    Notice bobsTyping = new Notice.Typing("c-1", "bob");
    assertEquals(Optional.of(bobsTyping), BlockedNotices.forBlocker(bobsTyping, Set.of()));
  }

  @Test
  void aBatchOfReceiptsKeepsTheOthersAndGoesAwayIfOnlyTheBlockedUsersWereIn() {
    var mixed = new Notice.Receipts(List.of(read("bob"), read("carol")));
    assertEquals(
        Optional.of(new Notice.Receipts(List.of(read("carol")))),
        BlockedNotices.forBlocker(mixed, BLOCKS_BOB));
    assertEquals(
        Optional.empty(),
        BlockedNotices.forBlocker(new Notice.Receipts(List.of(read("bob"))), BLOCKS_BOB));
  }

  @Test
  void everyKindOfNoticeHasARule() throws ReflectiveOperationException {
    for (Class<?> kind : Notice.class.getPermittedSubclasses()) {
      Notice sample = sample(kind);
      // A kind without a rule throws instead of answering.
      assertNotNull(BlockedNotices.forBlocker(sample, BLOCKS_BOB), kind.getName());
    }
  }

  private static Notice sample(Class<?> kind) throws ReflectiveOperationException {
    var components = kind.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      if (types[i] == long.class) values[i] = 0L;
      else if (types[i] == boolean.class) values[i] = false;
      else if (types[i] == String.class) values[i] = "carol";
      else if (types[i] == List.class) values[i] = List.of();
    }
    return (Notice) kind.getDeclaredConstructor(types).newInstance(values);
  }
}
