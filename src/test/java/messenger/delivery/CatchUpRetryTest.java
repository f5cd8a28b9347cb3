package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CatchUpRetryTest {

  private static List<Long> waitsMs(CatchUpRetry retry, int count) {
    return Stream.generate(retry::next).limit(count).map(Duration::toMillis).toList();
  }

  @Test
  void theWaitDoublesFromATenthOfASecondUpToTheLongest() {
    var retry = new CatchUpRetry(Duration.ofSeconds(1));
    assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L), waitsMs(retry, 6));
  }

  @Test
  void afterAResetTheNextTryIsSoonAgain() {
    var retry = new CatchUpRetry(Duration.ofSeconds(15));
    waitsMs(retry, 5);
    retry.reset();
    assertEquals(List.of(100L, 200L), waitsMs(retry, 2));
  }

  @Test
  void aLongestShorterThanTheFirstWaitCapsEveryWait() {
    var retry = new CatchUpRetry(Duration.ofMillis(30));
    assertEquals(List.of(30L, 30L), waitsMs(retry, 2));
    retry.reset();
    assertEquals(List.of(30L), waitsMs(retry, 1));
  }

  @Test
  void aLongestThatIsNotPositiveIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CatchUpRetry(Duration.ZERO));
  }
}
