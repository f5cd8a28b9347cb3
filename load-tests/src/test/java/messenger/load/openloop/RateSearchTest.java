package messenger.load.openloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

class RateSearchTest {

  /** Runs a search against a server that holds every rate for which {@code holds} is true. */
  private static List<Long> run(RateSearch search, LongPredicate holds) {
    List<Long> tried = new ArrayList<>();
    while (!search.done()) {
      tried.add(search.current());
      search.record(holds.test(search.current()));
    }
    return tried;
  }

  @Test
  void growsByTheFactorThenBisectsToWithinThePrecision() {
    RateSearch search = new RateSearch(200, 1.5, 0.05, 10, 100_000);
    List<Long> tried = run(search, rate -> rate <= 1_020);
    assertEquals(List.of(200L, 300L, 450L, 675L, 1013L, 1520L, 1266L, 1139L, 1076L, 1044L), tried);
    assertEquals(1_013, search.maxSustained().getAsLong());
    assertFalse(search.cappedWithoutFailure());
  }

  @Test
  void theResultIsWithinFivePerCentOfTheTrueCapacity() {
    for (long capacity : new long[] {250, 777, 2_300, 5_000}) {
      RateSearch search = new RateSearch(200, 1.5, 0.05, 10, 100_000);
      run(search, rate -> rate <= capacity);
      long found = search.maxSustained().getAsLong();
      assertTrue(found <= capacity && found >= capacity * 0.95, capacity + " found as " + found);
    }
  }

  @Test
  void halvesWhenTheFirstStepFails() {
    RateSearch search = new RateSearch(200, 1.5, 0.05, 10, 100_000);
    List<Long> tried = run(search, rate -> rate <= 60);
    assertEquals(List.of(200L, 100L, 50L, 75L, 62L, 56L, 59L, 60L), tried);
    assertEquals(60, search.maxSustained().getAsLong());
  }

  @Test
  void endsWithNothingWhenNoRateHolds() {
    RateSearch search = new RateSearch(200, 1.5, 0.05, 10, 100_000);
    assertEquals(List.of(200L, 100L, 50L, 25L, 12L), run(search, rate -> false));
    assertTrue(search.maxSustained().isEmpty());
  }

  @Test
  void stopsAtTheMaximumRateWhenNothingFails() {
    RateSearch search = new RateSearch(200, 1.5, 0.05, 10, 500);
    assertEquals(List.of(200L, 300L, 450L), run(search, rate -> true));
    assertEquals(450, search.maxSustained().getAsLong());
    assertTrue(search.cappedWithoutFailure());
  }
}
