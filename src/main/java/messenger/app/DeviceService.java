package messenger.app;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import messenger.delivery.PushRegistration;
import messenger.delivery.UserInbox;

/** A user's devices: which are online, how far each has read, and their push endpoints. */
public final class DeviceService {

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public DeviceService(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  public CompletionStage<List<UserInbox.DeviceView>> list(String userId) {
    return inbox(userId)
        .ask(UserInbox.ListDevices::new, askTimeout)
        .thenApply(UserInbox.Devices::devices);
  }

  public CompletionStage<Done> registerPush(String userId, String deviceId, PushRegistration push) {
    return inbox(userId)
        .ask(replyTo -> new UserInbox.RegisterPush(deviceId, push, replyTo), askTimeout);
  }

  public CompletionStage<Done> unregisterPush(String userId, String deviceId) {
    return inbox(userId)
        .ask(replyTo -> new UserInbox.UnregisterPush(deviceId, replyTo), askTimeout);
  }

  private EntityRef<UserInbox.Command> inbox(String userId) {
    return sharding.entityRefFor(UserInbox.ENTITY_KEY, userId);
  }
}
