package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.api.http.dto.ModerationResponses;
import messenger.api.http.dto.Requests;
import messenger.api.http.dto.Responses;
import messenger.app.ModerationService;
import messenger.auth.BulkAccounts;
import messenger.safety.Moderators;

/**
 * {@code /api/admin}: operator calls (bulk users, the moderator role), authenticated by the
 * configured admin token rather than a user's. Without a configured token the whole prefix does not
 * exist (404), so a node never offers it by accident.
 */
public final class AdminRoutes extends JsonRoutes {

  // 10,000 accounts are 20,000 journal writes; far longer than a user call may take.
  private static final scala.concurrent.duration.FiniteDuration BULK_TIMEOUT =
      scala.concurrent.duration.Duration.create(3, java.util.concurrent.TimeUnit.MINUTES);

  private final BulkAccounts bulk;
  private final ModerationService moderation;
  private final byte[] tokenDigest;
  private final ErrorMapping errors = new ErrorMapping();

  /**
   * @param token the admin bearer token; empty disables these routes
   */
  public AdminRoutes(BulkAccounts bulk, String token, int maxBodyBytes) {
    this(bulk, null, token, maxBodyBytes);
  }

  /**
   * @param moderation grants and revokes the moderator role; null: no {@code /moderators} routes
   */
  public AdminRoutes(
      BulkAccounts bulk, ModerationService moderation, String token, int maxBodyBytes) {
    super(maxBodyBytes);
    this.bulk = bulk;
    this.moderation = moderation;
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
          return concat(path("users", () -> post(this::createUsers)), moderators());
        });
  }

  /** {@code /moderators}: who holds the moderator role, granted and revoked by operators. */
  private Route moderators() {
    if (moderation == null) return reject();
    return concat(
        path("moderators", () -> get(() -> roster(moderation.roster()))),
        path(
            PathMatchers.segment("moderators").slash(PathMatchers.segment()),
            userId ->
                concat(
                    put(() -> roster(moderation.grant(userId))),
                    delete(() -> roster(moderation.revoke(userId))))));
  }

  private Route roster(CompletionStage<Moderators.Roster> roster) {
    return onSuccess(
        roster,
        r ->
            complete(
                StatusCodes.OK,
                new ModerationResponses.Moderators(List.copyOf(r.userIds())),
                Json.MARSHALLER));
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
