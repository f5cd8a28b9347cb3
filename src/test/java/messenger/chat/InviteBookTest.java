package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InviteBookTest {
  private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    volatile Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static final MovingClock CLOCK = new MovingClock();
  private static ActorTestKit testKit;
  private static EventSourcedBehaviorTestKit<InviteBook.Command, InviteBook.Event, InviteBook.State>
      book;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EntityTests.config());
    book = EventSourcedBehaviorTestKit.create(testKit.system(), InviteBook.create("g-1", CLOCK));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    book.clear();
    CLOCK.now = T0;
  }

  private StatusReply<Done> create(String inviteId, Duration life) {
    return book.<StatusReply<Done>>runCommand(
            replyTo -> new InviteBook.Create(inviteId, "alice", T0.plus(life), replyTo))
        .reply();
  }

  private boolean active(String inviteId) {
    return book.<Boolean>runCommand(replyTo -> new InviteBook.IsActive(inviteId, replyTo)).reply();
  }

  @Test
  void anInviteWorksUntilItExpiresOrIsRevoked() {
    assertTrue(create("i-1", Duration.ofHours(1)).isSuccess());
    assertTrue(create("i-2", Duration.ofDays(1)).isSuccess());
    assertTrue(active("i-1"));
    assertFalse(active("nope"));

    book.<Done>runCommand(replyTo -> new InviteBook.Revoke("i-2", replyTo));
    assertFalse(active("i-2"));
    CLOCK.now = T0.plus(Duration.ofHours(2));
    assertFalse(active("i-1"), "expired");
    assertTrue(
        book.<InviteBook.Active>runCommand(InviteBook.GetActive::new).reply().invites().isEmpty());
  }

  @Test
  void revokingTwiceAndCreatingTheSameInviteAgainWriteNothing() {
    create("i-1", Duration.ofHours(1));
    var again =
        book.<StatusReply<Done>>runCommand(
            replyTo -> new InviteBook.Create("i-1", "alice", T0.plusSeconds(60), replyTo));
    assertTrue(again.reply().isSuccess());
    assertTrue(again.events().isEmpty());
    book.<Done>runCommand(replyTo -> new InviteBook.Revoke("i-1", replyTo));
    var twice = book.<Done>runCommand(replyTo -> new InviteBook.Revoke("i-1", replyTo));
    assertTrue(twice.events().isEmpty());
  }

  @Test
  void aGroupHasAtMostMaxActiveInvitesAndRevokedOnesStayRevokedAfterARestart() {
    for (int i = 0; i < InviteBook.MAX_ACTIVE; i++) create("i-" + i, Duration.ofHours(1));

    var refused = create("one-more", Duration.ofHours(1));

    assertEquals("too_many_invites", refused.getError().getMessage());
    book.<Done>runCommand(replyTo -> new InviteBook.Revoke("i-0", replyTo));
    assertTrue(create("one-more", Duration.ofHours(1)).isSuccess());
    book.restart();
    assertFalse(active("i-0"));
    assertTrue(active("one-more"));
    assertEquals(
        InviteBook.MAX_ACTIVE,
        book.<InviteBook.Active>runCommand(InviteBook.GetActive::new).reply().invites().size());
  }
}
