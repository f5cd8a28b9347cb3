package messenger;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import messenger.cluster.ClusterFormation;

/**
 * The root actor: it only makes the node a cluster member, the way {@link ClusterFormation} says
 * (seed nodes from config, the node itself when there are none, or Kubernetes bootstrap).
 */
public final class Guardian {
  private Guardian() {}

  public static Behavior<Void> create() {
    return Behaviors.setup(
        context -> {
          ClusterFormation.join(context.getSystem());
          return Behaviors.empty();
        });
  }
}
