package messenger.load.openloop;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a step held: nothing lost after the drain, no send refused or left unanswered, p99 within
 * the limit, and the generator kept (wrote) at least {@code minKept} of the rate during the
 * measured window. {@code reasons} says what failed, in words for the step's line.
 */
record StepVerdict(boolean held, List<String> reasons) {

  record Limits(double maxP99Millis, double minKept) {}

  /**
   * The numbers a verdict looks at. {@code keptRate} is the sends written per second of the
   * measured window; {@code p99Millis} the p99 of delivered messages due in it, NaN if none.
   */
  record Outcome(
      double rate, double keptRate, long lost, long refused, long unanswered, long delivered, double p99Millis) {}

  static StepVerdict judge(Outcome o, Limits limits) {
    List<String> reasons = new ArrayList<>();
    if (o.lost() > 0) reasons.add("lost " + o.lost());
    if (o.refused() > 0) reasons.add("refused " + o.refused());
    if (o.unanswered() > 0) reasons.add("unanswered " + o.unanswered());
    if (o.delivered() == 0 || Double.isNaN(o.p99Millis())) reasons.add("nothing delivered");
    else if (o.p99Millis() > limits.maxP99Millis())
      reasons.add(String.format("p99 %.0f ms > %.0f", o.p99Millis(), limits.maxP99Millis()));
    if (o.keptRate() < limits.minKept() * o.rate())
      reasons.add(String.format("kept %.0f%% of the rate < %.0f%%", 100 * o.keptRate() / o.rate(), 100 * limits.minKept()));
    return new StepVerdict(reasons.isEmpty(), List.copyOf(reasons));
  }

  @Override
  public String toString() {
    return held ? "HELD" : "FAILED: " + String.join(", ", reasons);
  }
}
