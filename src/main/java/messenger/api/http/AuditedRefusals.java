package messenger.api.http;

import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.Route;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import messenger.DomainException;
import messenger.audit.Audit;

/**
 * Writes the refusals of a signed-in user's requests to the audit log ({@code not_member}, {@code
 * not_admin}, {@code rate_limited}) and passes them on unchanged to {@link ErrorMapping}: only
 * here, around the routes, are the user and the request both known.
 */
public final class AuditedRefusals extends AllDirectives {

  private final ClientAddress addresses;

  public AuditedRefusals(ClientAddress addresses) {
    this.addresses = addresses;
  }

  public Route around(String userId, Supplier<Route> inner) {
    return extractRequest(
        request ->
            addresses.extract(
                address -> {
                  String route = request.method().name() + " " + request.getUri().path();
                  ExceptionHandler auditing =
                      ExceptionHandler.newBuilder()
                          .match(
                              Throwable.class,
                              thrown -> {
                                audit(cause(thrown), userId, address, route);
                                return failWith(thrown);
                              })
                          .build();
                  return handleExceptions(auditing, inner);
                }));
  }

  private static void audit(Throwable cause, String userId, String address, String route) {
    if (!(cause instanceof DomainException refusal)) return;
    switch (refusal.code()) {
      case NOT_MEMBER, NOT_ADMIN, NOT_MODERATOR ->
          Audit.accessRefused(userId, address, route, null, refusal.code().wire());
      case RATE_LIMITED -> Audit.sendRateLimited(userId, address, route, null);
      default -> {}
    }
  }

  private static Throwable cause(Throwable thrown) {
    Throwable cause = thrown;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
