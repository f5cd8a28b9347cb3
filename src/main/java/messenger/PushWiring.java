package messenger;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import messenger.delivery.PushNotifier;
import messenger.delivery.UserInbox;
import messenger.metrics.Metrics;
import messenger.push.EndpointGone;
import messenger.push.EndpointGuard;
import messenger.push.Notification;
import messenger.push.PushDispatcher;
import messenger.push.PushKind;
import messenger.push.PushProvider;
import messenger.push.PushProviders;
import messenger.push.PushSettings;
import messenger.push.VapidKeys;

/** How a node's inboxes reach its push dispatcher, and how a push service's "gone" comes back. */
final class PushWiring {

  private PushWiring() {}

  /**
   * The node's push dispatcher, as the inboxes see it. A push service's "gone" goes back to the
   * user's inbox, which forgets the endpoint if it is still the registered one.
   */
  static PushNotifier notifier(
      ActorSystem<Void> system,
      ClusterSharding sharding,
      NodeSettings node,
      VapidKeys vapid,
      Metrics metrics) {
    PushSettings settings = node.push();
    EndpointGone gone =
        (userId, deviceId, endpoint) ->
            sharding
                .entityRefFor(UserInbox.ENTITY_KEY, userId)
                .tell(new UserInbox.PushEndpointGone(deviceId, endpoint));
    // Name lookups and FCM's token exchange block: they run on Akka's dispatcher for blocking work.
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    Map<PushKind, PushProvider> providers =
        new EnumMap<>(
            node.pushToInternalEndpoints()
                ? PushProviders.standard(settings, vapid)
                : PushProviders.guarded(settings, vapid, new EndpointGuard(blocking)));
    if (settings.enabled()) {
      PushProviders.Natives natives = PushProviders.natives(settings, blocking);
      providers.putAll(natives.providers());
      CoordinatedShutdown.get(system)
          .addTask(
              CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
              "close-native-push",
              () -> natives.closeAsync().thenApply(closed -> Done.getInstance()));
    }
    ActorRef<PushDispatcher.Command> dispatcher =
        system.systemActorOf(
            PushDispatcher.create(settings, providers, gone, metrics),
            "push-dispatcher",
            Props.empty());
    return (userId, deviceId, subscription, notification) ->
        dispatcher.tell(
            new PushDispatcher.Notify(
                userId,
                deviceId,
                subscription,
                settings.previews() ? notification : withoutPreview(notification)));
  }

  private static Notification withoutPreview(Notification n) {
    return new Notification(
        n.conversationId(), n.unreadCount(), null, n.senderName(), n.latestSeq());
  }
}
