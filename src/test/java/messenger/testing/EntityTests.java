package messenger.testing;

import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** The configuration for an {@code ActorTestKit} that runs entities on the in-memory journal. */
public final class EntityTests {

  private EntityTests() {}

  /** The event-sourced testkit's journal, with the project's CBOR binding so it checks it too. */
  public static Config config() {
    return EventSourcedBehaviorTestKit.config()
        .withFallback(
            ConfigFactory.parseString(
                "akka.actor.serialization-bindings {"
                    + " \"messenger.CborSerializable\" = jackson-cbor }"));
  }
}
