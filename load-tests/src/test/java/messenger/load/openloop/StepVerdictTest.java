package messenger.load.openloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepVerdictTest {

  private static final StepVerdict.Limits LIMITS = new StepVerdict.Limits(200, 0.95);

  private static StepVerdict judge(double kept, long lost, long refused, long unanswered, long delivered, double p99) {
    return StepVerdict.judge(new StepVerdict.Outcome(1000, kept, lost, refused, unanswered, delivered, p99), LIMITS);
  }

  @Test
  void aCleanStepHolds() {
    StepVerdict v = judge(1000, 0, 0, 0, 10_000, 200);
    assertTrue(v.held());
    assertEquals("HELD", v.toString());
  }

  @Test
  void eachConditionFailsAStepOnItsOwn() {
    assertEquals(List.of("lost 1"), judge(1000, 1, 0, 0, 10_000, 5).reasons());
    assertEquals(List.of("refused 3"), judge(1000, 0, 3, 0, 10_000, 5).reasons());
    assertEquals(List.of("unanswered 2"), judge(1000, 0, 0, 2, 10_000, 5).reasons());
    assertEquals(List.of("p99 201 ms > 200"), judge(1000, 0, 0, 0, 10_000, 200.5).reasons());
    assertEquals(List.of("kept 94% of the rate < 95%"), judge(940, 0, 0, 0, 10_000, 5).reasons());
    assertTrue(judge(950, 0, 0, 0, 10_000, 5).held());
  }

  @Test
  void nothingDeliveredFailsEvenWithoutLosses() {
    StepVerdict v = judge(1000, 0, 0, 0, 0, Double.NaN);
    assertFalse(v.held());
    assertEquals(List.of("nothing delivered"), v.reasons());
  }

  @Test
  void aServerThatIsGoneFailsForEveryReasonAtOnce() {
    StepVerdict v = judge(0, 0, 0, 0, 0, Double.NaN);
    assertEquals("FAILED: nothing delivered, kept 0% of the rate < 95%", v.toString());
  }
}
