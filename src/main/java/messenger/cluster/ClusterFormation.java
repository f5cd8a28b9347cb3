package messenger.cluster;

import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node becomes a cluster member, chosen by {@code messenger.cluster.bootstrap}
 * (conf/management.conf). {@link Method#CONFIG} joins the configured seed nodes, or the node itself
 * when there are none; {@link Method#KUBERNETES_API} starts Akka Management and Cluster Bootstrap,
 * which find the other pods through the Kubernetes API and form or join the cluster, so the node
 * must not join itself: a pod that did would form a cluster of its own.
 */
public final class ClusterFormation {

  private static final Logger log = LoggerFactory.getLogger(ClusterFormation.class);

  public enum Method {
    CONFIG(""),
    KUBERNETES_API("kubernetes-api");

    private final String configValue;

    Method(String configValue) {
      this.configValue = configValue;
    }
  }

  private ClusterFormation() {}

  /**
   * Refuses an unknown value, so a typo in the environment stops the node instead of splitting it
   * off.
   */
  public static Method method(Config config) {
    String value = config.getString("messenger.cluster.bootstrap").trim();
    for (Method method : Method.values()) {
      if (method.configValue.equals(value)) return method;
    }
    throw new IllegalArgumentException(
        "messenger.cluster.bootstrap (MESSENGER_CLUSTER_BOOTSTRAP) is \""
            + value
            + "\"; expected \"\" (seed nodes from config) or \"kubernetes-api\"");
  }

  /** Starts joining; membership then follows asynchronously (readiness: /health/ready). */
  public static void join(ActorSystem<?> system) {
    Config config = system.settings().config();
    Cluster cluster = Cluster.get(system);
    switch (method(config)) {
      case CONFIG -> {
        if (config.getStringList("akka.cluster.seed-nodes").isEmpty()) {
          cluster.manager().tell(new Join(cluster.selfMember().address()));
        }
        // Otherwise Akka joins the seed nodes by itself.
      }
      case KUBERNETES_API -> {
        // Bootstrap probes the other pods' management endpoints, so it is useless without them:
        // a node that cannot bind its management port stops, and Kubernetes restarts it.
        AkkaManagement.get(system)
            .start()
            .whenComplete(
                (uri, failure) -> {
                  if (failure != null) {
                    log.error("Akka Management did not start; stopping the node", failure);
                    system.terminate();
                  } else {
                    log.info("Akka Management at {}; bootstrapping the cluster", uri);
                  }
                });
        ClusterBootstrap.get(system).start();
      }
    }
  }
}
