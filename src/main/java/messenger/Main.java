package messenger;

import com.typesafe.config.ConfigFactory;

/** Starts one server node from {@code conf/application.conf} and the environment. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    MessengerNode node = MessengerNode.start(ConfigFactory.load());
    // The JVM exits through coordinated shutdown (SIGTERM / Ctrl-C run it via a shutdown hook).
    node.system().getWhenTerminated().toCompletableFuture().join();
  }
}
