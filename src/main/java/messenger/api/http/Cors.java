package messenger.api.http;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import java.util.List;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.api.ws.OriginPolicy;
import messenger.audit.Audit;

/**
 * CORS for {@code /api/v1}, so that a web client served from one of {@code
 * messenger.http.allowed-origins} (the list the WebSocket Origin check uses) may call the API from
 * the browser. Preflights from those origins are answered 204 with the methods and headers the API
 * takes; preflights from any other origin are refused with 403 {@code origin_refused} and audited.
 * Actual requests from a listed origin get {@code Access-Control-Allow-Origin} naming it; all other
 * requests pass untouched (a same-origin POST carries an {@code Origin} too), and without that
 * header the browser keeps the answer from a foreign page. No {@code Allow-Credentials}: tokens are
 * bearer headers, never cookies.
 *
 * <p>Not ch.megard akka-http-cors: its last release is built for Akka HTTP 10.2 / Akka 2.6 (the
 * project ended when CORS moved into Akka HTTP 10.6, past this build's pin), it compares origins
 * against a fixed list only, and it refuses actual requests from unlisted origins, which would
 * refuse the web client's own same-origin POSTs.
 */
public final class Cors extends AllDirectives {

  private static final String API = "/api/v1/";

  /** WebSockets are not CORS: their handshake has the Origin check. */
  private static final String WEBSOCKET = "/api/v1/ws";

  private static final List<HttpHeader> PREFLIGHT =
      List.of(
          RawHeader.create("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE"),
          RawHeader.create("Access-Control-Allow-Headers", "Authorization, Content-Type"),
          // An origin taken off the list loses access at once anyway (actual answers stop naming
          // it), so a cached preflight only saves round trips.
          RawHeader.create("Access-Control-Max-Age", "3600"));
  private static final RawHeader VARY = RawHeader.create("Vary", "Origin");

  private final OriginPolicy origins;
  private final ClientAddress addresses;
  private final ErrorMapping errors = new ErrorMapping();

  public Cors(OriginPolicy origins, ClientAddress addresses) {
    this.origins = origins;
    this.addresses = addresses;
  }

  /** {@code api} with CORS on its {@code /api/v1} routes. */
  public Route around(Route api) {
    return extractRequest(
        request -> {
          String path = request.getUri().path();
          if (!path.startsWith(API) || path.equals(WEBSOCKET)) return api;
          return optionalHeaderValueByName(
              "Origin",
              origin -> {
                // Whether an answer names the origin depends on it: caches must keep them apart.
                if (origin.isEmpty()) return respondWithHeader(VARY, () -> api);
                if (isPreflight(request)) return preflight(origin.get(), path);
                if (!origins.isListed(origin.get())) return respondWithHeader(VARY, () -> api);
                return respondWithHeaders(
                    List.<HttpHeader>of(
                        RawHeader.create("Access-Control-Allow-Origin", origin.get()), VARY),
                    () -> api);
              });
        });
  }

  private Route preflight(String origin, String path) {
    if (!origins.isListed(origin)) {
      return addresses.extract(
          address -> {
            Audit.corsRefused(origin, address, "OPTIONS " + path);
            return errors.error(ErrorCode.ORIGIN_REFUSED, ErrorDetail.of(Rule.CORS_ORIGIN));
          });
    }
    return complete(
        HttpResponse.create()
            .withStatus(StatusCodes.NO_CONTENT)
            .addHeader(RawHeader.create("Access-Control-Allow-Origin", origin))
            .addHeader(VARY)
            .addHeaders(PREFLIGHT));
  }

  private static boolean isPreflight(HttpRequest request) {
    return request.method().equals(HttpMethods.OPTIONS)
        && request.getHeader("Access-Control-Request-Method").isPresent();
  }
}
