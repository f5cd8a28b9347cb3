package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceRecordTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void signingInDropsExpiredTokensAndKeepsTheNewOne() {
    var record =
        DeviceRecord.NONE
            .signedIn("app", "old", NOW.plus(1, ChronoUnit.HOURS), NOW)
            .signedIn("app", "new", NOW.plus(3, ChronoUnit.HOURS), NOW.plus(2, ChronoUnit.HOURS));

    assertEquals(Set.of("new"), record.tokens().keySet());
  }

  @Test
  void beyondTheMostTokensTheOnesThatExpireFirstGo() {
    var record = DeviceRecord.NONE;
    for (int i = 0; i < DeviceRecord.MAX_TOKENS + 2; i++) {
      record = record.signedIn("app", "t" + i, NOW.plus(i + 1, ChronoUnit.HOURS), NOW);
    }

    assertEquals(DeviceRecord.MAX_TOKENS, record.tokens().size());
    assertFalse(record.tokens().containsKey("t0"));
    assertFalse(record.tokens().containsKey("t1"));
    assertTrue(record.tokens().containsKey("t" + (DeviceRecord.MAX_TOKENS + 1)));
  }

  @Test
  void aDeviceKnowsATokenAndLabelItSignedInWithButNotANewOneOrAnotherLabel() {
    var record = DeviceRecord.NONE.signedIn("app", "t1", NOW.plus(1, ChronoUnit.HOURS), NOW);

    assertTrue(record.knows("t1", "app"));
    assertFalse(record.knows("t2", "app"));
    assertFalse(record.knows("t1", "other app"));
    assertTrue(DeviceRecord.NONE.knows(null, null));
  }

  @Test
  void leavingKeepsTheLabelAndTokens() {
    var record = DeviceRecord.NONE.signedIn("app", "t1", NOW.plus(1, ChronoUnit.HOURS), NOW);

    var left = record.left(NOW);

    assertEquals(NOW, left.lastSeen());
    assertEquals(record.tokens(), left.tokens());
    assertEquals("app", left.client());
  }
}
