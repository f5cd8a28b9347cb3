package messenger.api.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import messenger.api.http.dto.Requests;
import messenger.api.http.dto.Responses;
import messenger.app.AccountExport;
import messenger.app.AccountService;
import messenger.auth.TokenService;

/**
 * {@code /api/v1/account}: the signed-in user's own account (what it is, its display name) and
 * {@code /api/v1/account/password}.
 */
public final class AccountRoutes extends JsonRoutes {

  // A closure leaves every group; longer than a user call may usually take.
  private static final scala.concurrent.duration.FiniteDuration CLOSE_TIMEOUT =
      scala.concurrent.duration.Duration.create(70, java.util.concurrent.TimeUnit.SECONDS);

  private final AccountService accounts;
  private final AccountExport export;
  private final AvatarRoutes avatars;

  public AccountRoutes(
      AccountService accounts, AccountExport export, AvatarRoutes avatars, int maxBodyBytes) {
    super(maxBodyBytes);
    this.avatars = avatars;
    this.accounts = accounts;
    this.export = export;
  }

  /**
   * @param address the client's address (null if unknown), which a wrong password counts against
   */
  public Route routes(TokenService.Verified token, String address) {
    String userId = token.userId();
    return concat(
        pathEnd(
            () ->
                concat(
                    get(() -> onSuccess(accounts.own(userId), this::account)),
                    delete(
                        () ->
                            withRequestTimeout(
                                CLOSE_TIMEOUT,
                                () ->
                                    jsonBody(
                                        Requests.CloseAccount.class,
                                        req ->
                                            onSuccess(
                                                accounts.close(token, req.password(), address),
                                                done -> complete(StatusCodes.NO_CONTENT))))),
                    patch(
                        () ->
                            jsonBody(
                                Requests.ChangeAccount.class,
                                req ->
                                    onSuccess(
                                        accounts.changeDisplayName(userId, req.displayName()),
                                        this::account))))),
        path("export", () -> get(() -> export(userId))),
        pathPrefix("avatar", () -> avatars.own(userId)),
        path(
            "password",
            () ->
                put(
                    () ->
                        jsonBody(
                            Requests.ChangePassword.class,
                            req ->
                                onSuccess(
                                    accounts.changePassword(
                                        token, req.currentPassword(), req.newPassword(), address),
                                    done -> complete(StatusCodes.NO_CONTENT))))));
  }

  /** A JSON document streamed as it is read (chunked), never whole in memory. */
  private Route export(String userId) {
    return onSuccess(
        export.of(userId),
        parts ->
            respondWithHeader(
                RawHeader.create(
                    "Content-Disposition", "attachment; filename=\"messenger-export.json\""),
                () ->
                    complete(
                        HttpResponse.create()
                            .withStatus(StatusCodes.OK)
                            .withEntity(
                                HttpEntities.createChunked(
                                    ContentTypes.APPLICATION_JSON, ExportJson.of(parts))))));
  }

  /** {@code GET /users/{id}/avatar}, for the routes of other users. */
  public Route avatarOf(String requesterId, String userId) {
    return avatars.of(requesterId, userId);
  }

  private Route account(AccountService.Own own) {
    return complete(
        StatusCodes.OK,
        new Responses.User(own.userId(), own.username(), own.displayName()),
        Json.MARSHALLER);
  }
}
