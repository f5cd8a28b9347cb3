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

  /** Parses a request body; anything that is not the expected JSON is a 400 with a reason. */
  public static <T> T read(String body, Class<T> type) {
    try {
      return MAPPER.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw new DomainException(ErrorCode.BAD_REQUEST, "invalid JSON body: " + e.getOriginalMessage());
    }
  }

  public static JsonNode tree(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }
}
