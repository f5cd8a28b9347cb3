package messenger;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;

/**
 * The root actor: it only makes the node a cluster member. With no seed nodes configured the node
 * joins itself and forms a one-node cluster; with seed nodes, Akka joins them by config alone.
 */
public final class Guardian {
  private Guardian() {}

  public static Behavior<Void> create() {
    return Behaviors.setup(
        context -> {
          Cluster cluster = Cluster.get(context.getSystem());
          if (context.getSystem().settings().config().getStringList("akka.cluster.seed-nodes").isEmpty()) {
            cluster.manager().tell(new Join(cluster.selfMember().address()));
          }
          return Behaviors.empty();
        });
  }
}
