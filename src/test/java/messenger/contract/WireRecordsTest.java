package messenger.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import messenger.api.http.Json;
import messenger.api.http.dto.ModerationRequests;
import messenger.api.http.dto.ModerationResponses;
import messenger.api.http.dto.Requests;
import messenger.api.http.dto.Responses;
import messenger.api.ws.ServerFrame;
import messenger.contract.Contracts.Direction;
import org.junit.jupiter.api.Test;

/**
 * The wire records themselves against the contracts, found by reflection rather than listed: every
 * response record of the HTTP API has a schema of its name that takes the record as the server's
 * own {@link Json} writes it; every request record's fields are the schema's properties; every
 * server frame record, the receipt batch included (which no live sample reaches), validates against
 * the AsyncAPI schema of its type. A field added to a record and not to the document fails here
 * even where no integration test sends it.
 */
class WireRecordsTest {

  private static final Instant AT = Instant.parse("2026-12-03T05:00:00.123Z");

  @Test
  void everyResponseRecordValidatesAgainstTheSchemaOfItsName() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Class<?> type : records(Responses.class, ModerationResponses.class)) {
      JsonNode schema = httpSchema(type.getSimpleName());
      Object sample = sample(type, schema, Contracts.openApi());
      problems.addAll(Contracts.httpSchemaProblems(type.getSimpleName(), Json.write(sample)));
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyRequestRecordHasASchemaWithExactlyItsFields() {
    for (Class<?> type : records(Requests.class, ModerationRequests.class)) {
      Set<String> fields = new TreeSet<>();
      Arrays.stream(type.getRecordComponents()).forEach(c -> fields.add(c.getName()));
      Set<String> properties = new TreeSet<>();
      httpSchema(type.getSimpleName())
          .path("properties")
          .fieldNames()
          .forEachRemaining(properties::add);
      assertEquals(fields, properties, type.getSimpleName());
    }
  }

  @Test
  void everyServerFrameRecordValidatesAgainstTheAsyncApiSchemaOfItsType() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Class<?> type : ServerFrame.class.getDeclaredClasses()) {
      if (!type.isRecord()) continue;
      RecordComponent[] components = type.getRecordComponents();
      if (!components[0].getName().equals("type")) {
        // Not a frame but a part of one (a message item): its schema has its name.
        JsonNode schema =
            Contracts.asyncApi().path("components").path("schemas").path(type.getSimpleName());
        assertFalse(schema.isMissingNode(), "no AsyncAPI schema " + type.getSimpleName());
        Object sample = sample(type, schema, Contracts.asyncApi());
        problems.addAll(Contracts.frameSchemaProblems(type.getSimpleName(), Json.write(sample)));
        continue;
      }
      Object frame = frame(type);
      problems.addAll(Contracts.frameProblems(Direction.SERVER, Json.write(frame)));
    }
    assertEquals(List.of(), problems);
  }

  /** The records declared in each of {@code holders}. */
  private static List<Class<?>> records(Class<?>... holders) {
    List<Class<?>> records = new ArrayList<>();
    for (Class<?> holder : holders) {
      for (Class<?> type : holder.getDeclaredClasses()) if (type.isRecord()) records.add(type);
    }
    return records;
  }

  /** A frame through the constructor that sets its {@code type} itself, as the server builds it. */
  private static Object frame(Class<?> type) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] rest = new Class<?>[components.length - 1];
    for (int i = 1; i < components.length; i++) rest[i - 1] = components[i].getType();
    Constructor<?> constructor = type.getDeclaredConstructor(rest);
    // The schema is found by the type the constructor sets, so build once to learn it.
    Object probe = constructor.newInstance(placeholders(rest));
    String wireType = (String) components[0].getAccessor().invoke(probe);
    String pointer =
        Contracts.frameSchema(Direction.SERVER, wireType)
            .orElseThrow(() -> new AssertionError("no server frame schema for type " + wireType));
    JsonNode schema = Contracts.at(Contracts.asyncApi(), pointer);
    Object[] args = new Object[rest.length];
    for (int i = 1; i < components.length; i++) {
      args[i - 1] =
          sample(
              components[i].getGenericType(),
              property(schema, components[i].getName(), Contracts.asyncApi()),
              Contracts.asyncApi());
    }
    return constructor.newInstance(args);
  }

  private static Object[] placeholders(Class<?>[] types) {
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      if (types[i] == long.class) values[i] = 0L;
      else if (types[i] == int.class) values[i] = 0;
      else if (types[i] == boolean.class) values[i] = false;
      else if (types[i] == List.class) values[i] = List.of();
    }
    return values;
  }

  /** A value of {@code type} that its schema (resolved against {@code document}) describes. */
  private static Object sample(Type type, JsonNode schema, JsonNode document) throws Exception {
    JsonNode s = resolve(schema, document);
    Class<?> raw =
        type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (raw == long.class || raw == Long.class) return 1000L;
    if (raw == int.class || raw == Integer.class) return 1;
    if (raw == boolean.class || raw == Boolean.class) return true;
    if (raw == Instant.class) return AT;
    if (raw == String.class) {
      if (s.has("const")) return s.get("const").asText();
      for (JsonNode option : s.path("enum")) if (!option.isNull()) return option.asText();
      return "x";
    }
    if (raw == List.class) {
      Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
      return List.of(sample(element, s.path("items"), document));
    }
    if (raw == Map.class) {
      Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
      return Map.of("x", sample(value, s.path("additionalProperties"), document));
    }
    if (raw.isRecord()) {
      RecordComponent[] components = raw.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] =
            sample(
                components[i].getGenericType(),
                property(s, components[i].getName(), document),
                document);
      }
      return raw.getDeclaredConstructor(types).newInstance(values);
    }
    throw new AssertionError("no sample for " + type);
  }

  private static JsonNode property(JsonNode schema, String name, JsonNode document) {
    JsonNode p = resolve(schema, document).path("properties").path(name);
    if (p.isMissingNode())
      throw new AssertionError("the schema has no property " + name + ": " + schema);
    return p;
  }

  /** Follows {@code $ref}s, and of a nullable {@code oneOf} takes the branch that is not null. */
  private static JsonNode resolve(JsonNode schema, JsonNode document) {
    if (schema.has("$ref"))
      return resolve(Contracts.at(document, schema.get("$ref").asText()), document);
    if (schema.has("oneOf")) {
      for (JsonNode option : schema.get("oneOf")) {
        if (!"null".equals(option.path("type").asText())) return resolve(option, document);
      }
    }
    return schema;
  }

  private static JsonNode httpSchema(String name) {
    JsonNode schema = Contracts.openApi().path("components").path("schemas").path(name);
    assertFalse(schema.isMissingNode(), "openapi.json has no schema " + name);
    return schema;
  }
}
