package messenger.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import messenger.CborSerializable;
import messenger.MessengerNode;
import messenger.chat.ChatMessage;
import messenger.chat.Conversation;
import messenger.testing.TestServer;

/**
 * How many events a second the journal takes on this machine, with nothing else of the server busy:
 * {@code entities} event-sourced actors each persist batches of {@code batch} events (a {@link
 * Conversation.MessagePosted} with a 40-character body, as a message costs) back to back for {@code
 * seconds}. This is the ceiling every message's writes share: a 1:1 message costs one conversation
 * event and one inbox event per member, plus device acknowledgements.
 *
 * <p>In-process, on one node's journal settings and its own keyspace of the test Cassandra.
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:$(cat target/server.classpath)
 * messenger.bench.JournalCeiling <entities> <batch> <seconds>}
 */
public final class JournalCeiling {

  record Write(int count, ActorRef<Written> replyTo) implements CborSerializable {}

  record Written() implements CborSerializable {}

  record Nothing() implements CborSerializable {}

  /** Persists what it is asked to, in one write, and says when it is done. */
  static final class Writer
      extends EventSourcedBehavior<Write, Conversation.MessagePosted, Nothing> {
    private final String id;
    private long seq;

    Writer(String id) {
      super(PersistenceId.of("JournalCeiling", id));
      this.id = id;
    }

    @Override
    public Nothing emptyState() {
      return new Nothing();
    }

    @Override
    public CommandHandler<Write, Conversation.MessagePosted, Nothing> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(
              Write.class,
              cmd -> {
                List<Conversation.MessagePosted> events = new ArrayList<>();
                for (int i = 0; i < cmd.count(); i++) {
                  seq++;
                  var message =
                      new ChatMessage(
                          id,
                          seq,
                          UUID.randomUUID().toString(),
                          "sender-" + id,
                          "a message body of forty characters......",
                          Instant.now());
                  events.add(new Conversation.MessagePosted(message, "c" + seq));
                }
                return Effect().persist(events).thenReply(cmd.replyTo(), s -> new Written());
              })
          .build();
    }

    @Override
    public EventHandler<Nothing, Conversation.MessagePosted> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> state);
    }
  }

  public static void main(String[] args) throws Exception {
    int entities = Integer.parseInt(args[0]);
    int batch = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    MessengerNode node = MessengerNode.start(TestServer.isolated("ceiling", Map.of()));
    try {
      var system = node.system();
      List<ActorRef<Write>> writers = new ArrayList<>();
      for (int i = 0; i < entities; i++) {
        Behavior<Write> writer = new Writer("w" + i);
        writers.add(system.systemActorOf(writer, "writer-" + i, akka.actor.typed.Props.empty()));
      }
      // Warm-up: a few seconds that are not counted.
      run(
          system,
          writers,
          batch,
          System.nanoTime() + Duration.ofSeconds(5).toNanos(),
          new AtomicLong());
      AtomicLong writes = new AtomicLong();
      long start = System.nanoTime();
      run(system, writers, batch, start + Duration.ofSeconds(seconds).toNanos(), writes);
      double elapsed = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "entities=%d batch=%d writes=%.0f/s events=%.0f/s over %.1f s%n",
          entities, batch, writes.get() / elapsed, writes.get() * batch / elapsed, elapsed);
    } finally {
      node.stop();
      System.exit(0);
    }
  }

  /** Every writer writes back to back until the deadline; counts completed writes. */
  private static void run(
      akka.actor.typed.ActorSystem<?> system,
      List<ActorRef<Write>> writers,
      int batch,
      long deadlineNanos,
      AtomicLong writes) {
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    for (ActorRef<Write> writer : writers) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      loop(system, writer, batch, deadlineNanos, writes, done);
      loops.add(done);
    }
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).join();
  }

  private static void loop(
      akka.actor.typed.ActorSystem<?> system,
      ActorRef<Write> writer,
      int batch,
      long deadlineNanos,
      AtomicLong writes,
      CompletableFuture<Void> done) {
    if (System.nanoTime() >= deadlineNanos) {
      done.complete(null);
      return;
    }
    AskPattern.<Write, Written>ask(
            writer,
            replyTo -> new Write(batch, replyTo),
            Duration.ofSeconds(30),
            system.scheduler())
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                done.completeExceptionally(failure);
                return;
              }
              writes.incrementAndGet();
              loop(system, writer, batch, deadlineNanos, writes, done);
            });
  }
}
