package messenger.limits;

import akka.actor.typed.ActorSystem;
import java.time.Duration;

/** The node's abuse limits and send admission, one instance each, shared by HTTP and WebSocket. */
public record NodeLimits(
    SendLimits sends,
    SendAdmission admission,
    CreationLimits creations,
    LoginThrottle logins,
    AddressConnections addresses) {

  public static NodeLimits create(LimitsSettings settings) {
    return new NodeLimits(
        new SendLimits(settings.sends()),
        new SendAdmission(settings.nodeSendsInFlight(), settings.overloadedRetryAfter()),
        new CreationLimits(settings.conversationsPerHour()),
        new LoginThrottle(settings.logins()),
        new AddressConnections(settings.connectionsPerAddress()));
  }

  /** Drops the buckets of users and names that went quiet, so the maps do not grow. */
  public void forgetIdleEveryMinute(ActorSystem<?> system) {
    system
        .scheduler()
        .scheduleWithFixedDelay(
            Duration.ofMinutes(1),
            Duration.ofMinutes(1),
            this::forgetIdle,
            system.executionContext());
  }

  private void forgetIdle() {
    sends.forgetIdle();
    creations.forgetIdle();
    logins.forgetIdle();
  }
}
