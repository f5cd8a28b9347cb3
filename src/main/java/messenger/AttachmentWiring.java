package messenger;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import java.time.Clock;
import messenger.chat.CassandraMessageChanges;
import messenger.delivery.SendPort;
import messenger.media.AttachmentSettings;
import messenger.media.AttachmentStore;
import messenger.media.ObjectStore;
import messenger.media.OrphanSweeper;

/**
 * How a node reaches the object store for attachments: the send path's claims, the deletion of a
 * deleted message's files, and the sweeper.
 */
final class AttachmentWiring {

  private AttachmentWiring() {}

  static AttachmentStore store(ActorSystem<Void> system, ObjectStore objects) {
    var settings =
        AttachmentSettings.fromConfig(
            system.settings().config().getConfig("messenger.attachments"));
    return new AttachmentStore(objects, settings);
  }

  /** A message's uploads are taken into the conversation's keeping before it is posted. */
  static SendPort.Claims claims(AttachmentStore store) {
    return store::claim;
  }

  /** A message deleted for everyone: its files are deleted from the store. */
  static CassandraMessageChanges.Files files(AttachmentStore store) {
    return message ->
        store.forget(message.conversationId(), message.senderId(), message.attachments());
  }

  /** One sweeper of orphaned uploads in the cluster, restarted if it fails. */
  static void startSweeper(ActorSystem<Void> system, ObjectStore objects, AttachmentStore store) {
    ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                    Behaviors.supervise(
                            OrphanSweeper.create(objects, store.settings(), Clock.systemUTC()))
                        .onFailure(SupervisorStrategy.restart()),
                    "orphan-upload-sweeper")
                .withStopMessage(OrphanSweeper.STOP));
  }
}
