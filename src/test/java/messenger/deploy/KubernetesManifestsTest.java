package messenger.deploy;

import static messenger.deploy.Manifests.container;
import static messenger.deploy.Manifests.containerPort;
import static messenger.deploy.Manifests.containers;
import static messenger.deploy.Manifests.elements;
import static messenger.deploy.Manifests.env;
import static messenger.deploy.Manifests.namedPort;
import static messenger.deploy.Manifests.podLabels;
import static messenger.deploy.Manifests.podSpec;
import static messenger.deploy.Manifests.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import messenger.api.http.HealthRoutes;
import messenger.cluster.ClusterFormation;
import messenger.deploy.Manifests.Doc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No Kubernetes runs here, so cluster-deploy/kubernetes is checked against itself and against what
 * the server really reads and serves: its conf files, its health routes, Akka Management's settings
 * and the CQL schema.
 */
@Timeout(60)
class KubernetesManifestsTest {

  private static final String SERVER = "messenger";
  private static final String POD_IP = "10.1.2.3";
  private static final Path CONF = Path.of("conf");

  private static Manifests manifests;
  private static Doc server;
  private static JsonNode serverContainer;

  /** The server's configuration as it resolves inside a pod, from the Deployment's environment. */
  private static Config serverConfig;

  @BeforeAll
  static void load() throws IOException {
    manifests = Manifests.load();
    server = manifests.one("Deployment", SERVER);
    serverContainer = container(server, SERVER);
    serverConfig = configUnder(serverContainer);
  }

  @Test
  void everyDocumentHasApiVersionKindAndName() {
    assertFalse(manifests.docs.isEmpty());
    for (Doc doc : manifests.docs) {
      assertFalse(doc.node().path("apiVersion").asText().isBlank(), doc + ": apiVersion");
      assertFalse(doc.kind().isBlank(), doc + ": kind");
      assertFalse(doc.name().isBlank(), doc + ": metadata.name");
    }
  }

  @Test
  void kustomizationListsEveryManifestAndEveryFileItNamesExists() {
    Set<String> listed =
        elements(manifests.kustomization.path("resources"))
            .map(JsonNode::asText)
            .collect(Collectors.toSet());
    assertEquals(Set.copyOf(manifests.files), listed);
    elements(manifests.kustomization.path("configMapGenerator"))
        .flatMap(generator -> elements(generator.path("files")))
        .map(file -> Manifests.DIR.resolve(file.asText().replaceFirst("^[^=]*=", "")))
        .forEach(file -> assertTrue(Files.isRegularFile(file), file + " missing"));
  }

  @Test
  void workloadSelectorsMatchTheirPodTemplateLabels() {
    manifests
        .workloads()
        .forEach(
            workload -> {
              Map<String, String> selector =
                  strings(workload.node().path("spec").path("selector").path("matchLabels"));
              assertFalse(selector.isEmpty(), workload + ": selector");
              assertTrue(
                  podLabels(workload).entrySet().containsAll(selector.entrySet()),
                  workload + ": template labels");
            });
  }

  @Test
  void servicesAndDisruptionBudgetsSelectExistingPodsAndServicesTargetTheirPorts() {
    Stream.concat(manifests.ofKind("Service"), manifests.ofKind("PodDisruptionBudget"))
        .forEach(
            doc -> {
              JsonNode spec = doc.node().path("spec");
              Map<String, String> selector =
                  strings(
                      doc.kind().equals("Service")
                          ? spec.path("selector")
                          : spec.path("selector").path("matchLabels"));
              assertFalse(selector.isEmpty(), doc + ": selector");
              List<Doc> selected = podsSelectedBy(selector);
              assertEquals(1, selected.size(), doc + " selects the pods of exactly one workload");
              for (JsonNode port : elements(spec.path("ports")).toList()) {
                JsonNode target =
                    port.has("targetPort") ? port.get("targetPort") : port.get("port");
                assertTrue(
                    containers(podSpec(selected.get(0)))
                        .anyMatch(c -> containerPort(c, target).isPresent()),
                    doc + ": targetPort " + target + " is no container port of " + selected.get(0));
              }
            });
  }

  @Test
  void theServersDisruptionBudgetTakesOneNodeAtATime() {
    Doc pdb =
        manifests
            .ofKind("PodDisruptionBudget")
            .filter(
                d ->
                    podsSelectedBy(
                            strings(d.node().path("spec").path("selector").path("matchLabels")))
                        .contains(server))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no PodDisruptionBudget for the server"));
    assertEquals(1, pdb.node().path("spec").path("maxUnavailable").asInt());
  }

  @Test
  void containerPortsAreThePortsTheNodeBinds() {
    assertEquals(
        serverConfig.getInt("messenger.http.port"),
        namedPort(serverContainer, "http").orElseThrow());
    assertEquals(
        serverConfig.getInt("akka.management.http.port"),
        namedPort(serverContainer, serverConfig.getString(DISCOVERY + ".port-name")).orElseThrow(),
        "Cluster Bootstrap looks the management port up by its name");
    assertEquals(
        serverConfig.getInt("akka.remote.artery.canonical.port"),
        namedPort(serverContainer, "remoting").orElseThrow());
  }

  @Test
  void probesAskForHealthRoutesTheServerOrAkkaManagementServe() throws Exception {
    ActorSystem<Void> system = clusterSystem();
    try {
      var healthRoutes = new HealthRoutes(system).routes().seal().handler(system);
      for (String probe : List.of("readinessProbe", "livenessProbe")) {
        JsonNode get = serverContainer.path(probe).path("httpGet");
        assertFalse(get.isMissingNode(), probe + " is an HTTP GET");
        int port = containerPort(serverContainer, get.path("port")).orElseThrow();
        String path = get.path("path").asText();
        if (port == serverConfig.getInt("messenger.http.port")) {
          // ApiRoutes mounts HealthRoutes at the root of the server's HTTP port.
          HttpResponse response =
              healthRoutes
                  .apply(HttpRequest.GET(path))
                  .toCompletableFuture()
                  .get(10, TimeUnit.SECONDS);
          response.discardEntityBytes(system);
          assertNotEquals(404, response.status().intValue(), probe + " " + path + " is not served");
          assertNotEquals(
              405, response.status().intValue(), probe + " " + path + " does not answer GET");
        } else {
          assertEquals(serverConfig.getInt("akka.management.http.port"), port, probe + " port");
          String base = serverConfig.getString("akka.management.http.base-path");
          String check =
              serverConfig.getString(
                  "akka.management.health-checks."
                      + (probe.equals("readinessProbe") ? "readiness-path" : "liveness-path"));
          assertEquals((base.isEmpty() ? "" : "/" + base) + "/" + check, path, probe + " path");
        }
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void serversPodLabelsMatchTheDiscoveryPodLabelSelector() {
    String selector =
        serverConfig
            .getString("akka.discovery.kubernetes-api.pod-label-selector")
            .replace("%s", serverConfig.getString(DISCOVERY + ".service-name"));
    Map<String, String> labels = podLabels(server);
    for (String term : selector.split(",")) {
      String[] kv = term.split("=", 2);
      assertEquals(
          kv[1].trim(),
          labels.get(kv[0].trim()),
          "pod label " + kv[0] + " for selector " + selector);
    }
  }

  @Test
  void rbacLetsTheServersServiceAccountGetWatchAndListPods() {
    String account = podSpec(server).path("serviceAccountName").asText();
    manifests.one("ServiceAccount", account);
    boolean granted =
        manifests
            .ofKind("RoleBinding")
            .filter(
                binding ->
                    elements(binding.node().path("subjects"))
                        .anyMatch(
                            s ->
                                s.path("kind").asText().equals("ServiceAccount")
                                    && s.path("name").asText().equals(account)))
            .map(binding -> binding.node().path("roleRef"))
            .filter(ref -> ref.path("kind").asText().equals("Role"))
            .map(ref -> manifests.one("Role", ref.path("name").asText()))
            .flatMap(role -> elements(role.node().path("rules")))
            .anyMatch(
                rule ->
                    values(rule, "apiGroups").contains("")
                        && values(rule, "resources").contains("pods")
                        && values(rule, "verbs").containsAll(Set.of("get", "watch", "list")));
    assertTrue(granted, "no Role bound to " + account + " grants get/watch/list on pods");
  }

  @Test
  void everyMessengerVariableInTheManifestsIsReadByAConfFile() throws IOException {
    Set<String> read = new TreeSet<>();
    Pattern substitution = Pattern.compile("\\$\\{\\?(MESSENGER_[A-Z0-9_]+)}");
    try (Stream<Path> confs = Files.list(CONF)) {
      for (Path conf : confs.filter(p -> p.toString().endsWith(".conf")).toList()) {
        Matcher m = substitution.matcher(Files.readString(conf));
        while (m.find()) read.add(m.group(1));
      }
    }
    assertTrue(read.contains("MESSENGER_HTTP_PORT"), "the conf files were not parsed: " + read);
    Set<String> unread =
        manifests
            .workloads()
            .flatMap(w -> containers(podSpec(w)))
            .flatMap(c -> elements(c.path("env")))
            .map(e -> e.path("name").asText())
            .filter(name -> name.startsWith("MESSENGER_") && !read.contains(name))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), unread, "set in the manifests but read by no conf/*.conf");
  }

  @Test
  void theDeploymentsEnvironmentMakesAClusterNodeOnThePodIpWithTheExternalCassandra() {
    assertEquals(ClusterFormation.Method.KUBERNETES_API, ClusterFormation.method(serverConfig));
    assertEquals("0.0.0.0", serverConfig.getString("messenger.http.interface"));
    assertEquals(POD_IP, serverConfig.getString("akka.remote.artery.canonical.hostname"));
    assertEquals(POD_IP, serverConfig.getString("akka.management.http.hostname"));
    assertEquals(
        List.of(),
        serverConfig.getStringList("akka.cluster.seed-nodes"),
        "bootstrap needs no seed nodes");
    assertEquals(
        server.node().path("spec").path("replicas").asInt(),
        serverConfig.getInt(DISCOVERY + ".required-contact-point-nr"),
        "a new cluster forms from all initial replicas");
    assertFalse(serverConfig.getString("messenger.cassandra.contact-points").isBlank());
    assertFalse(
        serverConfig.getBoolean("akka.persistence.cassandra.journal.keyspace-autocreate"),
        "schema from the Job");
  }

  @Test
  void sharedSecretsComeFromOneSecretThatEveryPodMustHave() {
    Set<String> secrets = new TreeSet<>();
    for (String name :
        List.of(
            "MESSENGER_JWT_SECRET", "MESSENGER_VAPID_PUBLIC_KEY", "MESSENGER_VAPID_PRIVATE_KEY")) {
      JsonNode ref =
          env(serverContainer, name)
              .orElseThrow(() -> new AssertionError(name + " unset"))
              .path("valueFrom")
              .path("secretKeyRef");
      assertFalse(ref.isMissingNode(), name + " must come from a Secret");
      assertFalse(
          ref.path("optional").asBoolean(false),
          name + ": a pod without it would make up its own key");
      secrets.add(ref.path("name").asText());
    }
    assertEquals(1, secrets.size(), "one Secret for all nodes: " + secrets);
  }

  @Test
  void cassandraDataCenterReplicationAndContactPointAgreeWithTheSchemaAndTheRing() {
    Doc ring = manifests.one("StatefulSet", "cassandra");
    JsonNode cassandra = container(ring, "cassandra");
    String dc = env(cassandra, "CASSANDRA_DC").orElseThrow().path("value").asText();
    assertEquals(
        dc,
        serverConfig.getString(
            "datastax-java-driver.basic.load-balancing-policy.local-datacenter"));

    Matcher replication =
        Pattern.compile("'NetworkTopologyStrategy', '([^']+)': (\\d+)}")
            .matcher(Manifests.text(Manifests.DIR.resolve("cql/schema.cql")));
    int keyspaces = 0;
    while (replication.find()) {
      keyspaces++;
      assertEquals(dc, replication.group(1), "schema.cql data center");
      assertEquals(
          serverConfig.getInt("akka.persistence.cassandra.journal.replication-factor"),
          Integer.parseInt(replication.group(2)));
    }
    assertEquals(2, keyspaces, "journal and snapshot keyspaces in schema.cql");
    assertEquals(3, serverConfig.getInt("akka.persistence.cassandra.journal.replication-factor"));
    assertTrue(
        ring.node().path("spec").path("replicas").asInt() >= 3, "RF 3 needs three Cassandra nodes");
    assertFalse(
        ring.node().path("spec").path("volumeClaimTemplates").isEmpty(),
        "Cassandra data on volumes");

    String[] contact =
        serverConfig.getString("messenger.cassandra.contact-points").split(",")[0].split(":");
    Doc service = manifests.one("Service", contact[0]);
    assertEquals("None", service.node().path("spec").path("clusterIP").asText(), "headless");
    assertTrue(
        podsSelectedBy(strings(service.node().path("spec").path("selector"))).contains(ring));
    assertTrue(
        elements(service.node().path("spec").path("ports"))
            .anyMatch(
                p ->
                    p.path("port").asInt() == Integer.parseInt(contact[1])
                        && containerPort(cassandra, p.path("targetPort")).isPresent()),
        "contact point port " + contact[1]);
  }

  @Test
  void theSchemaTheJobAppliesIsConfCqlSchema() {
    assertEquals(
        Manifests.text(CONF.resolve("cql/schema.cql")),
        Manifests.text(Manifests.DIR.resolve("cql/schema.cql")));
  }

  @Test
  void terminationGraceOutlastsPreStopAndTheDrainUpToLeavingTheCluster() {
    long preStop =
        elements(serverContainer.path("lifecycle").path("preStop").path("exec").path("command"))
            .map(JsonNode::asText)
            .filter(arg -> arg.matches("\\d+"))
            .mapToLong(Long::parseLong)
            .sum();
    Duration drain = Duration.ofSeconds(preStop);
    // Coordinated shutdown from unbinding HTTP to leaving the cluster; later phases only stop an
    // embedded Cassandra, which a pod does not run.
    for (String phase :
        List.of(
            "before-service-unbind",
            "service-unbind",
            "service-requests-done",
            "service-stop",
            "before-cluster-shutdown",
            "cluster-sharding-shutdown-region",
            "cluster-leave",
            "cluster-exiting",
            "cluster-exiting-done",
            "cluster-shutdown")) {
      String key = "akka.coordinated-shutdown.phases." + phase + ".timeout";
      drain =
          drain.plus(
              serverConfig.hasPath(key)
                  ? serverConfig.getDuration(key)
                  : serverConfig.getDuration("akka.coordinated-shutdown.default-phase-timeout"));
    }
    long grace = podSpec(server).path("terminationGracePeriodSeconds").asLong();
    assertTrue(
        grace > drain.toSeconds(), "terminationGracePeriodSeconds " + grace + " <= drain " + drain);
  }

  private static final String DISCOVERY =
      "akka.management.cluster.bootstrap.contact-point-discovery";

  private static List<Doc> podsSelectedBy(Map<String, String> selector) {
    return manifests
        .workloads()
        .filter(w -> podLabels(w).entrySet().containsAll(selector.entrySet()))
        .toList();
  }

  private static Set<String> values(JsonNode rule, String field) {
    return elements(rule.path(field)).map(JsonNode::asText).collect(Collectors.toSet());
  }

  /**
   * conf/application.conf resolved with the container's environment instead of this machine's:
   * values from the downward API become {@link #POD_IP}, secrets a placeholder.
   */
  private static Config configUnder(JsonNode container) {
    Map<String, Object> environment = new HashMap<>();
    elements(container.path("env"))
        .forEach(
            e -> {
              JsonNode from = e.path("valueFrom");
              String value =
                  e.has("value")
                      ? e.get("value").asText()
                      : from.path("fieldRef").path("fieldPath").asText().equals("status.podIP")
                          ? POD_IP
                          : "from-secret";
              environment.put(e.path("name").asText(), value);
            });
    return ConfigFactory.parseFile(CONF.resolve("application.conf").toFile())
        .withFallback(ConfigFactory.parseMap(environment))
        .withFallback(ConfigFactory.defaultReference())
        .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
  }

  /** Enough of a node for HealthRoutes, which asks the cluster for this node's status. */
  private static ActorSystem<Void> clusterSystem() {
    return ActorSystem.create(
        Behaviors.empty(),
        "manifest-probes",
        ConfigFactory.parseMap(
                Map.of(
                    "akka.actor.provider", "cluster",
                    "akka.remote.artery.canonical.hostname", "127.0.0.1",
                    "akka.remote.artery.canonical.port", 0,
                    "akka.coordinated-shutdown.exit-jvm", "off"))
            .withFallback(ConfigFactory.defaultReference()));
  }
}
