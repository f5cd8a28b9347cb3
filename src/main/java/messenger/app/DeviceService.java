package messenger.app;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail.Rule;
import messenger.audit.Audit;
import messenger.auth.Revocations;
import messenger.delivery.PushRegistration;
import messenger.delivery.UserInbox;

/** A user's devices: which are online, how far each has read, and their push endpoints. */
public final class DeviceService {

  private final ClusterSharding sharding;
  private final Revocations revocations;
  private final Duration askTimeout;

  public DeviceService(ActorSystem<?> system, Revocations revocations, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.revocations = revocations;
    this.askTimeout = askTimeout;
  }

  /**
   * Logs the device out: the tokens it connected with are revoked first (so it cannot come back
   * with them, and every connection using them ends), then the inbox ends its connection and drops
   * its cursor, push endpoint and record. Fails with {@code NOT_FOUND} for a device the inbox does
   * not know (also on a repeat).
   */
  public CompletionStage<Done> logout(String userId, String deviceId) {
    return inbox(userId)
        .ask(
            (ActorRef<UserInbox.DeviceTokens> replyTo) ->
                new UserInbox.GetDeviceTokens(deviceId, replyTo),
            askTimeout)
        .thenCompose(
            tokens -> {
              if (!tokens.known()) {
                throw DomainException.of(ErrorCode.NOT_FOUND, Rule.NO_DEVICE, deviceId);
              }
              CompletableFuture<?>[] revoked =
                  tokens.tokens().entrySet().stream()
                      .map(
                          t ->
                              revocations
                                  .revoke(userId, t.getKey(), t.getValue())
                                  .toCompletableFuture())
                      .toArray(CompletableFuture[]::new);
              return CompletableFuture.allOf(revoked);
            })
        .thenCompose(
            revoked ->
                inbox(userId)
                    .ask(
                        (ActorRef<Done> replyTo) -> new UserInbox.ForgetDevice(deviceId, replyTo),
                        askTimeout))
        .thenApply(
            done -> {
              Audit.accountChanged(userId, "device_logout:" + deviceId);
              return done;
            });
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
