package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import messenger.delivery.LiveConnections.Attach;
import messenger.delivery.LiveConnections.Outcome;
import org.junit.jupiter.api.Test;

/** A user's live connections, with strings standing in for the connections' actor refs. */
class LiveConnectionsTest {

  private static final Instant LEFT = Instant.parse("2024-05-01T10:00:00Z");

  private final LiveConnections<String> live = new LiveConnections<>(2);

  @Test
  void theFirstDeviceBringsTheUserOnlineAndTheNextOnesJustAttach() {
    assertFalse(live.online());

    assertEquals(new Attach<>(Outcome.CAME_ONLINE, null), live.attach("phone", "c1", "phone@1"));
    assertEquals(new Attach<>(Outcome.ATTACHED, null), live.attach("laptop", "c2", "laptop@2"));

    assertTrue(live.online());
    assertEquals(Set.of("phone", "laptop"), live.deviceIds());
    assertEquals(Set.of("phone@1", "laptop@2"), Set.copyOf(live.refs()));
  }

  @Test
  void aNewDeviceBeyondTheLimitIsRefusedAndChangesNothing() {
    live.attach("phone", "c1", "phone@1");
    live.attach("laptop", "c2", "laptop@2");

    assertEquals(new Attach<>(Outcome.REFUSED, null), live.attach("tablet", "c3", "tablet@3"));

    assertFalse(live.connected("tablet"));
    assertEquals(Set.of("phone", "laptop"), live.deviceIds());
  }

  @Test
  void aDeviceAtTheLimitMayStillReplaceItsOwnConnection() {
    live.attach("phone", "c1", "phone@1");
    live.attach("laptop", "c2", "laptop@2");

    assertEquals(new Attach<>(Outcome.ATTACHED, "phone@1"), live.attach("phone", "c3", "phone@3"));

    assertEquals(List.of("laptop@2", "phone@3"), live.refs().stream().sorted().toList());
  }

  @Test
  void theNewestConnectionIdWinsAndTheLoserIsTheOneToTell() {
    live.attach("phone", "c2", "phone@2");

    Attach<String> late = live.attach("phone", "c1", "phone@1");

    assertEquals(new Attach<>(Outcome.OUTDATED, "phone@1"), late);
    assertEquals(List.of("phone@2"), List.copyOf(live.refs()));
    Attach<String> newer = live.attach("phone", "c3", "phone@3");
    assertEquals(new Attach<>(Outcome.ATTACHED, "phone@2"), newer);
    assertEquals(List.of("phone@3"), List.copyOf(live.refs()));
  }

  @Test
  void reattachingTheSameConnectionIsANoOp() {
    live.attach("phone", "c1", "phone@1");

    Attach<String> again = live.attach("phone", "c1", "phone@1");

    assertEquals(new Attach<>(Outcome.ALREADY_ATTACHED, null), again);
    assertNull(again.replaced(), "nobody is told it was replaced");
    assertEquals(List.of("phone@1"), List.copyOf(live.refs()));
  }

  @Test
  void theEndOfAReplacedConnectionChangesNothing() {
    live.attach("phone", "c1", "phone@1");
    live.attach("phone", "c2", "phone@2");

    assertFalse(live.detach("phone", "phone@1", LEFT));

    assertTrue(live.connected("phone"));
    assertEquals(Optional.empty(), live.graceOver());
  }

  @Test
  void onlyTheLastDeviceToLeaveStartsTheGrace() {
    live.attach("phone", "c1", "phone@1");
    live.attach("laptop", "c2", "laptop@2");

    assertFalse(live.detach("phone", "phone@1", LEFT.minusSeconds(5)));
    assertTrue(live.detach("laptop", "laptop@2", LEFT));

    assertTrue(live.online(), "online during the grace");
    assertTrue(live.deviceIds().isEmpty());
  }

  @Test
  void backWithinTheGraceNobodyHearsTheUserWasGone() {
    live.attach("phone", "c1", "phone@1");
    live.detach("phone", "phone@1", LEFT);

    assertEquals(
        new Attach<>(Outcome.BACK_WITHIN_GRACE, null), live.attach("phone", "c2", "phone@2"));

    assertEquals(Optional.empty(), live.graceOver(), "the grace that ends finds the user back");
    assertTrue(live.online());
  }

  @Test
  void afterTheGraceTheUserWentOfflineWhenTheLastDeviceLeft() {
    live.attach("phone", "c1", "phone@1");
    live.detach("phone", "phone@1", LEFT);

    assertEquals(Optional.of(LEFT), live.graceOver());

    assertFalse(live.online());
    assertEquals(Optional.empty(), live.graceOver(), "told once");
    assertEquals(new Attach<>(Outcome.CAME_ONLINE, null), live.attach("phone", "c2", "phone@2"));
  }
}
