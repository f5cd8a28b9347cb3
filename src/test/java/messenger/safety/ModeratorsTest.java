package messenger.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import java.util.Set;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModeratorsTest {
  private static ActorTestKit testKit;
  private static EventSourcedBehaviorTestKit<
          Moderators.Command, Moderators.Event, Moderators.Roster>
      moderators;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EntityTests.config());
    moderators = EventSourcedBehaviorTestKit.create(testKit.system(), Moderators.create());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    moderators.clear();
  }

  @Test
  void grantingGivesTheRoleOnceAndRevokingTakesItAway() {
    var granted =
        moderators.<Moderators.Roster>runCommand(replyTo -> new Moderators.Grant("u-1", replyTo));
    assertTrue(granted.reply().holds("u-1"));
    var again =
        moderators.<Moderators.Roster>runCommand(replyTo -> new Moderators.Grant("u-1", replyTo));
    assertTrue(again.events().isEmpty());

    var revoked =
        moderators.<Moderators.Roster>runCommand(replyTo -> new Moderators.Revoke("u-1", replyTo));
    assertFalse(revoked.reply().holds("u-1"));
    var revokedAgain =
        moderators.<Moderators.Roster>runCommand(replyTo -> new Moderators.Revoke("u-1", replyTo));
    assertTrue(revokedAgain.events().isEmpty());
  }

  @Test
  void theRoleSurvivesARestart() {
    moderators.<Moderators.Roster>runCommand(replyTo -> new Moderators.Grant("u-2", replyTo));
    moderators.<Moderators.Roster>runCommand(replyTo -> new Moderators.Grant("u-1", replyTo));
    moderators.<Moderators.Roster>runCommand(replyTo -> new Moderators.Revoke("u-2", replyTo));

    moderators.restart();
    var roster = moderators.<Moderators.Roster>runCommand(Moderators.GetRoster::new).reply();

    assertEquals(Set.of("u-1"), roster.userIds());
  }
}
