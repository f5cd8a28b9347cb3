package messenger;

import com.typesafe.config.ConfigFactory;

/** Starts one server node from {@code conf/application.conf} and the environment. */
public final class Main {
  private Main() {}

  /**
   * Scala's Future-to-CompletionStage bridge, which every Akka ask from an actor goes through, runs
   * its callbacks on CompletableFuture's default executor. With fewer than two common-pool threads
   * (any machine with two cores or fewer) that executor starts a new thread per callback: measured
   * here, ~110 threads a second under load and a fraction of the throughput.
   */
  static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  public static void main(String[] args) throws Exception {
    // Must be set before anything touches ForkJoinPool; bin/messenger passes it too.
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM, "4");
    }
    MessengerNode node = MessengerNode.start(ConfigFactory.load());
    // The JVM exits through coordinated shutdown (SIGTERM / Ctrl-C run it via a shutdown hook).
    node.system().getWhenTerminated().toCompletableFuture().join();
  }
}
