package messenger.api.http;

import akka.http.javadsl.marshalling.Marshaller;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.RequestEntity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.UnicodeRules;

/** The wire's JSON: ISO-8601 timestamps, DTO records only. */
public final class Json {

  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  public static final Marshaller<Object, RequestEntity> MARSHALLER =
      Marshaller.withFixedContentType(
          ContentTypes.APPLICATION_JSON,
          value -> HttpEntities.create(ContentTypes.APPLICATION_JSON, write(value)));

  private Json() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses a request body; anything that is not the expected JSON, or has text that {@link
   * UnicodeRules} refuses, is a 400 naming the field or rule that failed.
   */
  public static <T> T read(String body, Class<T> type) {
    try {
      JsonNode tree = MAPPER.readTree(body);
      String problem = textProblem(tree);
      if (problem != null) throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.TEXT_RULE, problem);
      return MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new DomainException(ErrorCode.BAD_REQUEST, whatFailed(e, type));
    }
  }

  /**
   * Which field or rule a Jackson failure is about, in the wire's terms: Jackson's own message
   * names Java classes (the DTO record, {@code java.util.ArrayList}), which a client cannot use.
   */
  static ErrorDetail whatFailed(JsonProcessingException e, Class<?> type) {
    if (!(e instanceof MismatchedInputException mismatch)) {
      return e instanceof JsonMappingException
          ? ErrorDetail.of(Rule.BODY_SHAPE)
          : ErrorDetail.of(Rule.NOT_JSON, "body");
    }
    String field = path(mismatch.getPath());
    if (mismatch instanceof UnrecognizedPropertyException unknown) {
      return ErrorDetail.of(
          Rule.UNKNOWN_FIELD, field.isEmpty() ? unknown.getPropertyName() : field);
    }
    if (field.isEmpty()) return ErrorDetail.of(Rule.NOT_OBJECT, "body");
    Rule expected = expected(mismatch.getTargetType());
    if (expected == Rule.MUST_BE_LIST && listsStrings(type, mismatch.getPath())) {
      expected = Rule.MUST_BE_LIST_OF_STRINGS;
    }
    return ErrorDetail.of(expected, field);
  }

  /** Whether the body's field at {@code path} (one step down) is a {@code List<String>}. */
  private static boolean listsStrings(Class<?> type, List<JsonMappingException.Reference> path) {
    if (path.size() != 1 || !type.isRecord()) return false;
    for (RecordComponent component : type.getRecordComponents()) {
      if (component.getName().equals(path.get(0).getFieldName())
          && component.getGenericType() instanceof ParameterizedType list) {
        return list.getActualTypeArguments()[0] == String.class;
      }
    }
    return false;
  }

  /** {@code members[0]}, {@code keys.auth}: the field as the client wrote it. */
  private static String path(List<JsonMappingException.Reference> path) {
    StringBuilder field = new StringBuilder();
    for (var step : path) {
      if (step.getFieldName() != null) {
        if (field.length() > 0) field.append('.');
        field.append(step.getFieldName());
      } else if (step.getIndex() >= 0) {
        field.append('[').append(step.getIndex()).append(']');
      }
    }
    return field.toString();
  }

  /** The JSON kind a Java target type is read from. */
  private static Rule expected(Class<?> target) {
    if (target == null) return Rule.MUST_BE_OBJECT;
    if (CharSequence.class.isAssignableFrom(target) || target == char.class || target.isEnum()) {
      return Rule.MUST_BE_STRING;
    }
    if (target == boolean.class || target == Boolean.class) return Rule.MUST_BE_BOOLEAN;
    if (target.isPrimitive() || Number.class.isAssignableFrom(target)) return Rule.MUST_BE_NUMBER;
    if (target.isArray() || Collection.class.isAssignableFrom(target)) return Rule.MUST_BE_LIST;
    return Rule.MUST_BE_OBJECT;
  }

  /**
   * The first problem {@link UnicodeRules} finds in any name or string of {@code node}, or null.
   */
  public static String textProblem(JsonNode node) {
    java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>();
    if (node != null) todo.push(node);
    while (!todo.isEmpty()) {
      JsonNode next = todo.pop();
      if (next.isTextual()) {
        String problem = UnicodeRules.problem(next.textValue());
        if (problem != null) return problem;
      } else if (next.isObject()) {
        for (var fields = next.fields(); fields.hasNext(); ) {
          var field = fields.next();
          String problem = UnicodeRules.problem(field.getKey());
          if (problem != null) return problem;
          todo.push(field.getValue());
        }
      } else if (next.isArray()) {
        next.forEach(todo::push);
      }
    }
    return null;
  }

  public static JsonNode tree(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }
}
