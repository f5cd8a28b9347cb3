package messenger.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two contract documents as the server ships them (its class path), and checks of sample JSON
 * against their schemas with networknt's validator: OpenAPI 3.1's dialect (JSON Schema 2020-12 plus
 * the OAS vocabulary) for HTTP bodies, draft-07 (which AsyncAPI 3.0's schema object extends) for
 * WebSocket frames. Schemas are addressed by JSON pointer into the documents, so their {@code
 * $ref}s resolve exactly as a client's tooling would resolve them.
 */
final class Contracts {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final String OPENAPI_IRI = "https://messenger.invalid/api/v1/openapi.json";
  private static final String ASYNCAPI_IRI = "https://messenger.invalid/api/v1/asyncapi.json";

  private static final String OPENAPI_TEXT = resource("api/openapi.json");
  private static final String ASYNCAPI_TEXT = resource("api/asyncapi.json");
  private static final JsonNode OPENAPI = tree(OPENAPI_TEXT);
  private static final JsonNode ASYNCAPI = tree(ASYNCAPI_TEXT);

  private static final SchemaRegistry HTTP_SCHEMAS =
      SchemaRegistry.withDefaultDialect(
          Dialects.getOpenApi31(), b -> b.schemas(Map.of(OPENAPI_IRI, OPENAPI_TEXT)));
  private static final SchemaRegistry FRAME_SCHEMAS =
      SchemaRegistry.withDefaultDialect(
          Dialects.getDraft7(), b -> b.schemas(Map.of(ASYNCAPI_IRI, ASYNCAPI_TEXT)));
  private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();

  /** Which way a frame goes. */
  enum Direction {
    /** Client to server: the AsyncAPI operation the server receives with. */
    CLIENT("receiveClientFrames"),
    /** Server to client: the operation the server sends with. */
    SERVER("sendServerFrames");

    final String operation;

    Direction(String operation) {
      this.operation = operation;
    }
  }

  /** One method on one path template of the OpenAPI document, e.g. GET /api/v1/users/{userId}. */
  record Operation(String method, String path) {
    /** The template with its parameter names dropped, as route code has none: /users/{}. */
    String shape() {
      return method + " " + path.replaceAll("\\{[^}]*}", "{}");
    }
  }

  private Contracts() {}

  static String openApiText() {
    return OPENAPI_TEXT;
  }

  static String asyncApiText() {
    return ASYNCAPI_TEXT;
  }

  static JsonNode openApi() {
    return OPENAPI;
  }

  static JsonNode asyncApi() {
    return ASYNCAPI;
  }

  /** Every operation the OpenAPI document lists. */
  static List<Operation> operations() {
    List<Operation> all = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = OPENAPI.path("paths").fields();
        paths.hasNext(); ) {
      var path = paths.next();
      for (Iterator<String> keys = path.getValue().fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (List.of("get", "put", "post", "delete", "options", "head", "patch", "trace")
            .contains(key)) {
          all.add(new Operation(key.toUpperCase(Locale.ROOT), path.getKey()));
        }
      }
    }
    return all;
  }

  static JsonNode operation(Operation op) {
    JsonNode node =
        OPENAPI.path("paths").path(op.path()).path(op.method().toLowerCase(Locale.ROOT));
    if (node.isMissingNode()) throw new AssertionError("the spec has no " + op);
    return node;
  }

  /**
   * What is wrong with this answer to {@code op} by the spec: an undocumented status, a JSON body
   * where none is documented, or a body its schema refuses. Empty when it conforms.
   */
  static List<String> responseProblems(Operation op, int status, String contentType, String body) {
    JsonNode response = operation(op).path("responses").path(Integer.toString(status));
    if (response.isMissingNode()) return List.of(op + " does not document status " + status);
    String pointer = "#/paths/" + escape(op.path()) + "/" + op.method().toLowerCase(Locale.ROOT);
    pointer += "/responses/" + status;
    if (response.has("$ref")) {
      pointer = response.get("$ref").asText();
      response = at(OPENAPI, pointer);
    }
    boolean hasBody = body != null && !body.isEmpty();
    if (!hasBody) {
      return response.has("content") && status != 204
          ? List.of(op + " " + status + " should have a body")
          : List.of();
    }
    String media = contentType == null ? "" : contentType.split(";")[0].trim();
    if (!response.path("content").has(media) && !response.path("content").has("*/*")) {
      return List.of(op + " " + status + " documents no " + media + " body");
    }
    if (!media.equals("application/json")) return List.of();
    return problems(
        HTTP_SCHEMAS, OPENAPI_IRI + pointer + "/content/application~1json/schema", body, op);
  }

  /** What the request body schema of {@code op} refuses in {@code body}. */
  static List<String> requestProblems(Operation op, String body) {
    String pointer =
        "#/paths/"
            + escape(op.path())
            + "/"
            + op.method().toLowerCase(Locale.ROOT)
            + "/requestBody";
    JsonNode request = at(OPENAPI, pointer);
    if (request.isMissingNode()) return List.of(op + " documents no request body");
    return problems(
        HTTP_SCHEMAS, OPENAPI_IRI + pointer + "/content/application~1json/schema", body, op);
  }

  /** What the AsyncAPI schema of this frame's {@code type}, in this direction, refuses in it. */
  static List<String> frameProblems(Direction direction, String frame) {
    String type = tree(frame).path("type").asText();
    Optional<String> schema = frameSchema(direction, type);
    if (schema.isEmpty()) return List.of(direction + " frames have no type " + type);
    return problems(FRAME_SCHEMAS, ASYNCAPI_IRI + schema.get(), frame, direction + " " + type);
  }

  /** What {@code #/components/schemas/<name>} of openapi.json refuses in {@code json}. */
  static List<String> httpSchemaProblems(String name, String json) {
    return problems(HTTP_SCHEMAS, OPENAPI_IRI + "#/components/schemas/" + name, json, name);
  }

  /** What {@code #/components/schemas/<name>} of asyncapi.json refuses in {@code json}. */
  static List<String> frameSchemaProblems(String name, String json) {
    return problems(FRAME_SCHEMAS, ASYNCAPI_IRI + "#/components/schemas/" + name, json, name);
  }

  /** The pointer of the payload schema whose {@code type} is {@code const: type}. */
  static Optional<String> frameSchema(Direction direction, String type) {
    for (JsonNode ref : ASYNCAPI.path("operations").path(direction.operation).path("messages")) {
      JsonNode message = follow(at(ASYNCAPI, ref.path("$ref").asText()));
      String payloadRef = message.path("payload").path("$ref").asText();
      if (type.equals(
          at(ASYNCAPI, payloadRef).path("properties").path("type").path("const").asText())) {
        return Optional.of(payloadRef);
      }
    }
    return Optional.empty();
  }

  private static JsonNode follow(JsonNode node) {
    return node.has("$ref") ? follow(at(ASYNCAPI, node.get("$ref").asText())) : node;
  }

  private static List<String> problems(
      SchemaRegistry registry, String location, String json, Object what) {
    Schema schema =
        COMPILED.computeIfAbsent(location, l -> registry.getSchema(SchemaLocation.of(l)));
    return schema
        .validate(
            json,
            InputFormat.JSON,
            ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)))
        .stream()
        .map(e -> what + ": " + e + " in " + json)
        .toList();
  }

  /**
   * What the published meta-schema of the format ({@code contract/*.schema.json}, see the README
   * there) refuses in {@code document}: OpenAPI 3.1's is JSON Schema 2020-12, AsyncAPI 3.0's
   * draft-07.
   */
  static List<String> metaSchemaProblems(String metaSchema, String document) {
    String text = resource("contract/" + metaSchema);
    boolean draft7 = tree(text).path("$schema").asText().contains("draft-07");
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            draft7 ? Dialects.getDraft7() : Dialects.getDraft202012());
    return registry.getSchema(text, InputFormat.JSON).validate(document, InputFormat.JSON).stream()
        .map(Object::toString)
        .toList();
  }

  static JsonNode at(JsonNode document, String pointer) {
    if (!pointer.startsWith("#")) throw new AssertionError("not a local reference: " + pointer);
    return document.at(pointer.substring(1));
  }

  /** A path template as one JSON-pointer token ("/" is "~1"). */
  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
