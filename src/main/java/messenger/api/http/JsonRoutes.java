package messenger.api.http;

import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import java.util.function.Function;

/** Routes that read JSON request bodies, limited in size. */
abstract class JsonRoutes extends AllDirectives {

  /** What a request body may be, in bytes. */
  protected final int maxBodyBytes;

  protected JsonRoutes(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  protected <T> Route jsonBody(Class<T> type, Function<T, Route> inner) {
    // The limit covers a maximal message body plus JSON escaping and the other fields.
    return withSizeLimit(
        maxBodyBytes * 6L + 4096,
        () -> entity(Unmarshaller.entityToString(), body -> inner.apply(Json.read(body, type))));
  }
}
