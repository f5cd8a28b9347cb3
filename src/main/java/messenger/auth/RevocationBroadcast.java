package messenger.auth;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;

/**
 * Carries every stored revocation to the {@link Revocations} cache of every node: each node runs
 * one topic actor and one subscriber that feeds its cache. At most once, like all pub/sub; the
 * cache's maximum age covers a lost publication.
 */
public final class RevocationBroadcast {
  static final String TOPIC = "token-revocations";

  private final ActorRef<Topic.Command<TokenLedger.Revocation>> topic;

  private RevocationBroadcast(ActorRef<Topic.Command<TokenLedger.Revocation>> topic) {
    this.topic = topic;
  }

  /** Starts this node's end of the topic, feeding {@code revocations}. */
  public static RevocationBroadcast start(ActorSystem<?> system, Revocations revocations) {
    ActorRef<Topic.Command<TokenLedger.Revocation>> topic =
        system.systemActorOf(
            Topic.create(TokenLedger.Revocation.class, TOPIC), "revocation-topic", Props.empty());
    ActorRef<TokenLedger.Revocation> subscriber =
        system.systemActorOf(subscriber(revocations), "revocation-subscriber", Props.empty());
    topic.tell(Topic.subscribe(subscriber));
    return new RevocationBroadcast(topic);
  }

  /** Tells every node, this one included. */
  public void publish(TokenLedger.Revocation revocation) {
    topic.tell(Topic.publish(revocation));
  }

  private static Behavior<TokenLedger.Revocation> subscriber(Revocations revocations) {
    return Behaviors.receiveMessage(
        revocation -> {
          revocations.learned(revocation);
          return Behaviors.same();
        });
  }
}
