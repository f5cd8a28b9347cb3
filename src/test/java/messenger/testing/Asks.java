package messenger.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Many asks to sharded entities, a bounded number at a time, so a test does not flood a node. */
public final class Asks {
  private Asks() {}

  /** Asks on behalf of every id, {@code parallel} at a time; the answers in the ids' order. */
  public static <T> List<T> each(
      List<String> ids, int parallel, Duration timeout, Function<String, CompletionStage<T>> ask)
      throws Exception {
    Semaphore permits = new Semaphore(parallel);
    List<CompletableFuture<T>> answers = new ArrayList<>(ids.size());
    for (String id : ids) {
      permits.acquire();
      CompletableFuture<T> answer = ask.apply(id).toCompletableFuture();
      answer.whenComplete((a, e) -> permits.release());
      answers.add(answer);
    }
    List<T> results = new ArrayList<>(ids.size());
    for (CompletableFuture<T> answer : answers)
      results.add(answer.get(timeout.toSeconds(), TimeUnit.SECONDS));
    return results;
  }
}
