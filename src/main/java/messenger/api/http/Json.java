package messenger.api.http;

import akka.http.javadsl.marshalling.Marshaller;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.RequestEntity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import messenger.DomainException;
import messenger.ErrorCode;
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
   * UnicodeRules} refuses, is a 400 with a reason.
   */
  public static <T> T read(String body, Class<T> type) {
    try {
      JsonNode tree = MAPPER.readTree(body);
      String problem = textProblem(tree);
      if (problem != null) throw new DomainException(ErrorCode.BAD_REQUEST, problem);
      return MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new DomainException(ErrorCode.BAD_REQUEST, "invalid JSON body: " + e.getOriginalMessage());
    }
  }

  /** The first problem {@link UnicodeRules} finds in any name or string of {@code node}, or null. */
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
