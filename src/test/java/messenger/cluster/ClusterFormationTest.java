package messenger.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import messenger.Guardian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a node becomes a member: by seed nodes or itself, or through Kubernetes bootstrap. */
@Timeout(60)
class ClusterFormationTest {

  @Test
  void theShippedConfigJoinsBySeedNodesOrItself() {
    assertEquals(ClusterFormation.Method.CONFIG, ClusterFormation.method(ConfigFactory.load()));
  }

  @Test
  void kubernetesApiIsAccepted() {
    assertEquals(
        ClusterFormation.Method.KUBERNETES_API,
        ClusterFormation.method(withBootstrap("kubernetes-api")));
  }

  @Test
  void anUnknownBootstrapMethodIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> ClusterFormation.method(withBootstrap("kubernetes")));
  }

  @Test
  void withoutBootstrapANodeWithNoSeedNodesJoinsItself() throws Exception {
    ActorSystem<Void> system = start(withBootstrap(""));
    try {
      TestProbe<ClusterEvent.MemberUp> up = TestProbe.create(system);
      Cluster.get(system)
          .subscriptions()
          .tell(Subscribe.create(up.ref(), ClusterEvent.MemberUp.class));
      assertEquals(
          Cluster.get(system).selfMember().address(),
          up.expectMessageClass(ClusterEvent.MemberUp.class, Duration.ofSeconds(20))
              .member()
              .address());
    } finally {
      stop(system);
    }
  }

  @Test
  void withKubernetesApiBootstrapTheNodeServesManagementAndDoesNotJoinItself() throws Exception {
    int port = freePort();
    ActorSystem<Void> system =
        start(
            ConfigFactory.parseMap(Map.of("akka.management.http.port", port))
                .withFallback(withBootstrap("kubernetes-api")));
    try {
      TestProbe<ClusterEvent.MemberEvent> members = TestProbe.create(system);
      Cluster.get(system)
          .subscriptions()
          .tell(Subscribe.create(members.ref(), ClusterEvent.MemberEvent.class));

      // A second start() answers the first one's address once it is bound.
      String base =
          AkkaManagement.get(system)
              .start()
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS)
              .toString();
      assertEquals(200, get(system, base + "/alive").status().intValue());
      // Not a member: the cluster-membership readiness check fails, which Akka Management answers
      // 500.
      assertEquals(500, get(system, base + "/ready").status().intValue());
      // A self-join shows as MemberJoined within milliseconds; bootstrap has no other pods to find.
      members.expectNoMessage(Duration.ofSeconds(3));
    } finally {
      stop(system);
    }
  }

  private static Config withBootstrap(String method) {
    return ConfigFactory.parseMap(
            Map.of(
                "messenger.cluster.bootstrap",
                method,
                "akka.remote.artery.canonical.port",
                0,
                // The test JVM must survive the system's shutdown.
                "akka.coordinated-shutdown.exit-jvm",
                "off"))
        .withFallback(ConfigFactory.load());
  }

  private static ActorSystem<Void> start(Config config) {
    return ActorSystem.create(Guardian.create(), "messenger", config.resolve());
  }

  private static HttpResponse get(ActorSystem<Void> system, String uri) throws Exception {
    HttpResponse response =
        Http.get(system)
            .singleRequest(HttpRequest.GET(uri))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    response.discardEntityBytes(system);
    return response;
  }

  private static void stop(ActorSystem<Void> system) throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
