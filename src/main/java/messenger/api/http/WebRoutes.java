package messenger.api.http;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import java.util.List;

/**
 * The web client: static files from the class path ({@code src/main/resources/web}), so the page
 * ships inside the server and needs no separate host. {@code /} is the page, {@code /assets/} its
 * scripts and styles, {@code /sw.js} the service worker (at the root so its scope is the whole
 * site). Anything else falls through to the API routes.
 */
public final class WebRoutes extends AllDirectives {

  private static final String ROOT = "web";

  /**
   * Scripts only from files of this origin (no inline script, no eval), so an injected message body
   * could not run even if the page rendered it as HTML, which it does not. The WebSocket is also
   * "self". Nothing may frame the page. Attachments move between the browser and the object store
   * directly (presigned URLs), so its origin, and only it, may take uploads and serve images.
   */
  static String contentSecurityPolicy(String objectStoreOrigin) {
    return String.join(
        "; ",
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: " + objectStoreOrigin,
        "connect-src 'self' " + objectStoreOrigin,
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'");
  }

  private final List<HttpHeader> headers;

  /**
   * @param objectStoreOrigin where presigned attachment URLs point, {@code scheme://host:port}
   */
  public WebRoutes(String objectStoreOrigin) {
    // "no-cache" means "revalidate": the files are small and a new server version is seen at once.
    this.headers =
        List.of(
            RawHeader.create("Content-Security-Policy", contentSecurityPolicy(objectStoreOrigin)),
            RawHeader.create("X-Content-Type-Options", "nosniff"),
            RawHeader.create("Referrer-Policy", "no-referrer"),
            RawHeader.create("Cache-Control", "no-cache"));
  }

  public Route routes() {
    return get(
        () ->
            respondWithHeaders(
                headers,
                () ->
                    concat(
                        pathSingleSlash(() -> getFromResource(ROOT + "/index.html")),
                        path("sw.js", () -> getFromResource(ROOT + "/sw.js")),
                        pathPrefix("assets", () -> getFromResourceDirectory(ROOT + "/assets")))));
  }
}
