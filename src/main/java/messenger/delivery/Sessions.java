package messenger.delivery;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Starts the {@link Session} actor of each new device connection and knows the open ones. */
public final class Sessions {

  private final ActorSystem<?> system;
  private final SessionDeps deps;
  private final Map<String, ActorRef<Session.Command>> open = new ConcurrentHashMap<>();

  /** Set once the node drains; completes when the last session has stopped. */
  private volatile CompletableFuture<Done> drained;

  public Sessions(ActorSystem<?> system, SessionDeps deps) {
    this.system = system;
    this.deps = deps;
  }

  public ActorRef<Session.Command> open(
      String userId, String deviceId, Credential credential, String client, Outbox outbox) {
    String name = "session-" + UUID.randomUUID();
    ActorRef<Session.Command> session =
        system.systemActorOf(
            Session.create(userId, deviceId, credential, client, outbox, deps, () -> closed(name)),
            name,
            Props.empty());
    open.put(name, session);
    if (drained != null) session.tell(Session.Drain.INSTANCE);
    return session;
  }

  public int openCount() {
    return open.size();
  }

  /**
   * Tells every connection, and any that opens from now on, to go away; completes when all have
   * closed or after {@code timeout}, whichever is first.
   */
  public CompletionStage<Done> drain(Duration timeout) {
    var done = new CompletableFuture<Done>();
    drained = done;
    open.values().forEach(session -> session.tell(Session.Drain.INSTANCE));
    if (open.isEmpty()) done.complete(Done.getInstance());
    return done.completeOnTimeout(Done.getInstance(), timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public DeliverySettings settings() {
    return deps.settings();
  }

  private void closed(String name) {
    open.remove(name);
    CompletableFuture<Done> done = drained;
    if (done != null && open.isEmpty()) done.complete(Done.getInstance());
  }
}
