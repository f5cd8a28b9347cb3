package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceMessagesTest {

  /** A message of the given kind with empty components: only its kind matters here. */
  private static DeviceMessage sample(Class<?> kind) throws ReflectiveOperationException {
    RecordComponent[] components = kind.getRecordComponents();
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      if (types[i] == int.class) values[i] = 0;
      else if (types[i] == long.class) values[i] = 0L;
      else if (types[i] == boolean.class) values[i] = false;
    }
    return (DeviceMessage) kind.getDeclaredConstructor(types).newInstance(values);
  }

  private static String branch(DeviceMessage message) {
    return DeviceMessages.match(
        message,
        d -> "Deliver",
        r -> "Replaced",
        e -> "Ephemeral",
        r -> "Revoked",
        b -> "Blocking");
  }

  @Test
  void everyKindOfInboxMessageHasItsOwnBranch() throws ReflectiveOperationException {
    Class<?>[] kinds = DeviceMessage.class.getPermittedSubclasses();
    Set<String> branches = new HashSet<>();
    for (Class<?> kind : kinds) {
      String taken = branch(sample(kind));
      assertEquals(kind.getSimpleName(), taken, "the branch for " + kind.getName());
      branches.add(taken);
    }
    assertEquals(kinds.length, branches.size());
  }

  @Test
  void aMessageOfNoKnownKindFailsLoudly() {
    assertThrows(
        IllegalStateException.class,
        () -> DeviceMessages.match(null, d -> 1, r -> 2, e -> 3, r -> 4, b -> 5));
  }
}
