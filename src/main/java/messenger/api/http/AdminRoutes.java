package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.api.http.dto.Requests;
import messenger.api.http.dto.Responses;
import messenger.auth.BulkAccounts;

/**
 * {@code /api/admin}: operator calls, authenticated by the configured admin token rather than a
 * user's. Without a configured token the whole prefix does not exist (404), so a node never offers
 * it by accident.
 */
public final class AdminRoutes extends JsonRoutes {

  // 10,000 accounts are 20,000 journal writes; far longer than a user call may take.
  private static final scala.concurrent.duration.FiniteDuration BULK_TIMEOUT =
      scala.concurrent.duration.Duration.create(3, java.util.concurrent.TimeUnit.MINUTES);

  private final BulkAccounts bulk;
  private final byte[] tokenDigest;
  private final ErrorMapping errors = new ErrorMapping();

  /**
   * @param token the admin bearer token; empty disables these routes
   */
  public AdminRoutes(BulkAccounts bulk, String token, int maxBodyBytes) {
    super(maxBodyBytes);
    this.bulk = bulk;
    this.tokenDigest = token.isEmpty() ? null : sha256(token);
  }

  public Route routes() {
    if (tokenDigest == null) return reject();
    return optionalHeaderValueByName(
        "Authorization",
        header -> {
          if (!authorized(header)) {
            return errors.error(ErrorCode.UNAUTHORIZED, ErrorDetail.of(Rule.ADMIN_TOKEN));
          }
          return path("users", () -> post(this::createUsers));
        });
  }

  private Route createUsers() {
    return withRequestTimeout(
        BULK_TIMEOUT,
        () ->
            jsonBody(
                Requests.CreateUsers.class,
                req ->
                    onSuccess(
                        bulk.create(
                            req.usernamePrefix(),
                            req.count() == null ? 0 : req.count(),
                            req.password()),
                        users ->
                            complete(
                                StatusCodes.CREATED,
                                new Responses.UsersCreated(
                                    users.stream()
                                        .map(
                                            u ->
                                                new Responses.CreatedUser(
                                                    u.userId(), u.username(), u.token()))
                                        .toList(),
                                    users.get(0).expiresAt()),
                                Json.MARSHALLER))));
  }

  // Digests of equal length, compared in constant time: neither the token nor its length leaks.
  private boolean authorized(Optional<String> header) {
    return header
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> MessageDigest.isEqual(sha256(h.substring(7).trim()), tokenDigest))
        .orElse(false);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
