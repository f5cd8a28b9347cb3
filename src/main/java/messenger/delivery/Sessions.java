package messenger.delivery;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import java.util.UUID;

/** Starts the {@link Session} actor of a new device connection. */
public final class Sessions {

  private final ActorSystem<?> system;
  private final Session.Deps deps;

  public Sessions(ActorSystem<?> system, Session.Deps deps) {
    this.system = system;
    this.deps = deps;
  }

  public ActorRef<Session.Command> open(String userId, String deviceId, Session.Outbox outbox) {
    return system.systemActorOf(
        Session.create(userId, deviceId, outbox, deps),
        "session-" + UUID.randomUUID(),
        Props.empty());
  }

  public DeliverySettings settings() {
    return deps.settings();
  }
}
