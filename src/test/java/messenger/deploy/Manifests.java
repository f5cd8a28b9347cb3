package messenger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The YAML documents under cluster-deploy/kubernetes, and lookups that the checks share. */
final class Manifests {

  static final Path DIR = Path.of("cluster-deploy/kubernetes");
  static final String KUSTOMIZATION = "kustomization.yaml";

  record Doc(String file, JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
      return file + ": " + kind() + " " + name();
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  final List<String> files;
  final List<Doc> docs;
  final JsonNode kustomization;

  private Manifests(List<String> files, List<Doc> docs, JsonNode kustomization) {
    this.files = files;
    this.docs = docs;
    this.kustomization = kustomization;
  }

  static Manifests load() throws IOException {
    List<String> files;
    try (Stream<Path> listing = Files.list(DIR)) {
      files =
          listing
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
              .filter(n -> !n.equals(KUSTOMIZATION))
              .sorted()
              .toList();
    }
    List<Doc> docs = new ArrayList<>();
    for (String file : files) {
      try (var values =
          YAML.readerFor(JsonNode.class).<JsonNode>readValues(DIR.resolve(file).toFile())) {
        while (values.hasNext()) {
          JsonNode node = values.next();
          if (node != null && !node.isNull() && !node.isEmpty()) docs.add(new Doc(file, node));
        }
      }
    }
    return new Manifests(files, docs, YAML.readTree(DIR.resolve(KUSTOMIZATION).toFile()));
  }

  Stream<Doc> ofKind(String kind) {
    return docs.stream().filter(d -> d.kind().equals(kind));
  }

  Doc one(String kind, String name) {
    return ofKind(kind)
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + DIR));
  }

  /** Deployments and StatefulSets: what runs pods. */
  Stream<Doc> workloads() {
    return docs.stream()
        .filter(d -> d.kind().equals("Deployment") || d.kind().equals("StatefulSet"));
  }

  static JsonNode podSpec(Doc workload) {
    JsonNode template = workload.node().path("spec").path("template");
    return template.path("spec");
  }

  static Map<String, String> podLabels(Doc workload) {
    return strings(workload.node().path("spec").path("template").path("metadata").path("labels"));
  }

  static Map<String, String> strings(JsonNode object) {
    Map<String, String> map = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  static Stream<JsonNode> elements(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false);
  }

  /** Init and app containers of a pod. */
  static Stream<JsonNode> containers(JsonNode podSpec) {
    return Stream.concat(
        elements(podSpec.path("initContainers")), elements(podSpec.path("containers")));
  }

  static JsonNode container(Doc workload, String name) {
    return containers(podSpec(workload))
        .filter(c -> c.path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(workload + " has no container " + name));
  }

  /** A port given by name or number, as the container's port number. */
  static Optional<Integer> containerPort(JsonNode container, JsonNode port) {
    return elements(container.path("ports"))
        .filter(
            p ->
                port.isInt()
                    ? p.path("containerPort").asInt() == port.asInt()
                    : p.path("name").asText().equals(port.asText()))
        .map(p -> p.path("containerPort").asInt())
        .findFirst();
  }

  static Optional<Integer> namedPort(JsonNode container, String name) {
    return containerPort(container, YAML.getNodeFactory().textNode(name));
  }

  static Optional<JsonNode> env(JsonNode container, String name) {
    return elements(container.path("env"))
        .filter(e -> e.path("name").asText().equals(name))
        .findFirst();
  }

  static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
