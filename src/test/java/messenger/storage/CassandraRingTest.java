package messenger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraRingTest {

  @Test
  void tokensSplitTheMurmur3RingIntoEqualParts() {
    assertEquals(
        List.of("-9223372036854775808", "-3074457345618258603", "3074457345618258602"),
        List.of(CassandraRing.token(0, 3), CassandraRing.token(1, 3), CassandraRing.token(2, 3)));
    assertEquals("0", CassandraRing.token(1, 2));
  }
}
