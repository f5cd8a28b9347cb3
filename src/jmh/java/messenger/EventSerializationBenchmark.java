package messenger;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import messenger.chat.ChatMessage;
import messenger.chat.Conversation;
import messenger.delivery.UserInbox;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The events written for every 1:1 message, through Akka's serialization as the journal uses it:
 * one {@link Conversation.MessagePosted} in the conversation and one {@link
 * UserInbox.MessageAppended} in each of the two inboxes. Serialize is what each persist pays,
 * deserialize what each replay (recovery, history, catch-up) pays per event.
 *
 * <p>The actor system runs the project's configuration, so {@link CborSerializable} is bound to
 * jackson-cbor as on the server; only the parts that would open ports or contact Cassandra are left
 * out (local provider, nothing persisted).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class EventSerializationBenchmark {

  private static final String BODY =
      "Running ten minutes late, the train stopped outside the station again. "
          + "Order for me if the waiter comes, the usual please!";

  private ActorSystem<Void> system;
  private Serialization serialization;

  private Conversation.MessagePosted posted;
  private UserInbox.MessageAppended appended;
  private Stored postedBytes;
  private Stored appendedBytes;

  /** An event as the journal stores it: bytes, serializer id and manifest. */
  private record Stored(byte[] bytes, int serializerId, String manifest) {}

  @Setup(Level.Trial)
  public void startSystem() {
    Config config =
        ConfigFactory.parseString(
                "akka.actor.provider = local\n"
                    + "akka.loglevel = WARNING\n"
                    + "akka.coordinated-shutdown.exit-jvm = off\n")
            .withFallback(ConfigFactory.load());
    system = ActorSystem.create(Behaviors.empty(), "jmh", config);
    serialization = SerializationExtension.get(system);

    var message =
        new ChatMessage(
            "d-4b1c9a52-6f0e-5a3d-9c41-2f7d8e1b6a90",
            42,
            "01938a6e-9d02-7f3a-b4c5-6e7f8091a2b3",
            "01938a6e-2f4b-7c1d-8e5a-3b9f0c2d4e61",
            BODY,
            Instant.parse("2026-11-28T10:15:30.123Z"));
    posted = new Conversation.MessagePosted(message, "c-7f3a9e");
    appended = new UserInbox.MessageAppended("01938a6e-0000-7000-8000-00000000002a", 1234, message);
    postedBytes = store(posted);
    appendedBytes = store(appended);

    // A benchmark of a serializer other than the configured one, or of a lossy round trip, would
    // measure the wrong thing: refuse to run.
    String used = serialization.findSerializerFor(posted).getClass().getName();
    if (!used.equals("akka.serialization.jackson.JacksonCborSerializer")) {
      throw new IllegalStateException("events serialized with " + used);
    }
    if (!posted.equals(load(postedBytes)) || !appended.equals(load(appendedBytes))) {
      throw new IllegalStateException("the events do not survive a round trip");
    }
    System.out.printf(
        "%nCBOR sizes: MessagePosted %d bytes, MessageAppended %d bytes (body %d characters)%n",
        postedBytes.bytes().length, appendedBytes.bytes().length, BODY.length());
  }

  @TearDown(Level.Trial)
  public void stopSystem() {
    system.terminate();
  }

  @Benchmark
  public byte[] serializeMessagePosted() {
    return serialization.serialize(posted).get();
  }

  @Benchmark
  public Object deserializeMessagePosted() {
    return load(postedBytes);
  }

  @Benchmark
  public byte[] serializeMessageAppended() {
    return serialization.serialize(appended).get();
  }

  @Benchmark
  public Object deserializeMessageAppended() {
    return load(appendedBytes);
  }

  private Stored store(Object event) {
    var serializer = serialization.findSerializerFor(event);
    return new Stored(
        serialization.serialize(event).get(),
        serializer.identifier(),
        Serializers.manifestFor(serializer, event));
  }

  private Object load(Stored stored) {
    return serialization
        .deserialize(stored.bytes(), stored.serializerId(), stored.manifest())
        .get();
  }
}
