package messenger.api.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The machine-readable contracts, unauthenticated, under {@code /api/v1}: {@code openapi.json}
 * (OpenAPI 3.1, the HTTP routes) and {@code asyncapi.json} (AsyncAPI 3.0, the WebSocket frames).
 * Both are hand-written resource files ({@code src/main/resources/api/}), kept true by the tests in
 * {@code messenger.contract}. They are read once at start, so a build that lost one fails to start
 * instead of answering 404 later.
 */
public final class ContractRoutes extends AllDirectives {

  static final String OPENAPI = "api/openapi.json";
  static final String ASYNCAPI = "api/asyncapi.json";

  private final byte[] openApi = resource(OPENAPI);
  private final byte[] asyncApi = resource(ASYNCAPI);

  public Route routes() {
    return get(
        () ->
            // A new server version may change them; clients revalidate rather than keep a stale
            // copy.
            respondWithHeader(
                RawHeader.create("Cache-Control", "no-cache"),
                () ->
                    concat(
                        path("openapi.json", () -> document(openApi)),
                        path("asyncapi.json", () -> document(asyncApi)))));
  }

  private Route document(byte[] json) {
    return complete(
        HttpResponse.create()
            .withStatus(StatusCodes.OK)
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json)));
  }

  private static byte[] resource(String name) {
    try (InputStream in = ContractRoutes.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
