package messenger.load.openloop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

  @Test
  void recoveryAfterABurstIsTheFirstSecondUnderTheLimitOrTheFirstOfThoseThatStayUnder() {
    List<OpenLoop.Second> s =
        List.of(sec(3), sec(400), sec(900), sec(30), sec(70), sec(20), sec(10));
    assertEquals(5, OpenLoop.Second.recoveredFrom(s, 2, 50));
    assertEquals(3, OpenLoop.Second.firstUnder(s, 2, 50));
    assertEquals(-1, OpenLoop.Second.recoveredFrom(List.of(sec(3), sec(90)), 1, 50));
    assertEquals(-1, OpenLoop.Second.recoveredFrom(List.of(sec(3), new OpenLoop.Second(0, Double.NaN)), 1, 50));
  }

  private static OpenLoop.Second sec(double p99) {
    return new OpenLoop.Second(100, p99);
  }
}
