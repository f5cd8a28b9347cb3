package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import java.util.Optional;
import java.util.function.Function;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail.Rule;
import messenger.api.BodyRules;
import messenger.api.http.dto.Requests;
import messenger.api.http.dto.Responses;
import messenger.api.ws.WebSocketHandler;
import messenger.app.PresenceService;
import messenger.app.UserDirectory;
import messenger.audit.Audit;
import messenger.auth.Accounts;
import messenger.auth.Revocations;
import messenger.auth.TokenService;
import messenger.delivery.Credential;

/**
 * The HTTP API under {@code /api/v1}: decodes requests, calls the services, encodes answers. No
 * domain decisions here; failures go through {@link ErrorMapping}.
 */
public final class ApiRoutes extends JsonRoutes {

  private final Accounts accounts;
  private final TokenService tokens;
  private final Revocations revocations;
  private final ConversationRoutes conversations;
  private final AttachmentRoutes attachments;
  private final WebSocketHandler webSockets;
  private final HealthRoutes health;
  private final DeviceRoutes devices;
  private final PresenceService presence;
  private final UserDirectory users;
  private final Route metrics;
  private final AdminRoutes admin;
  private final AccountRoutes account;
  private final ModerationRoutes moderation;
  private final BlockRoutes blocks;
  private final InviteRoutes invites;
  private final ErrorMapping errors = new ErrorMapping();
  private final ContractRoutes contracts = new ContractRoutes();

  private final ClientAddress clientAddresses;

  public ApiRoutes(
      Accounts accounts,
      TokenService tokens,
      Revocations revocations,
      ConversationRoutes conversations,
      AttachmentRoutes attachments,
      WebSocketHandler webSockets,
      HealthRoutes health,
      DeviceRoutes devices,
      PresenceService presence,
      UserDirectory users,
      Route metrics,
      AdminRoutes admin,
      AccountRoutes account,
      ModerationRoutes moderation,
      int maxBodyBytes,
      boolean trustForwardedFor,
      BlockRoutes blocks,
      InviteRoutes invites) {
    super(maxBodyBytes);
    this.invites = invites;
    this.moderation = moderation;
    this.blocks = blocks;
    this.clientAddresses = new ClientAddress(trustForwardedFor);
    this.accounts = accounts;
    this.tokens = tokens;
    this.revocations = revocations;
    this.conversations = conversations;
    this.attachments = attachments;
    this.webSockets = webSockets;
    this.health = health;
    this.devices = devices;
    this.presence = presence;
    this.users = users;
    this.metrics = metrics;
    this.admin = admin;
    this.account = account;
  }

  public Route routes() {
    return handleExceptions(
        errors.exceptions(),
        () ->
            handleRejections(
                errors.rejections(),
                () ->
                    concat(
                        health.routes(),
                        metrics,
                        pathPrefix("api", () -> pathPrefix("admin", admin::routes)),
                        pathPrefix(
                            "api",
                            () ->
                                pathPrefix(
                                    "v1",
                                    () ->
                                        concat(
                                            health.routes(),
                                            contracts.routes(),
                                            path(
                                                "users",
                                                () ->
                                                    concat(
                                                        post(this::register),
                                                        get(
                                                            () ->
                                                                authenticated(
                                                                    requester -> findUser())))),
                                            pathPrefix(
                                                "users",
                                                () ->
                                                    authenticated(
                                                        requester ->
                                                            concat(
                                                                path(
                                                                    PathMatchers.segment()
                                                                        .slash("avatar"),
                                                                    user ->
                                                                        account.avatarOf(
                                                                            requester, user)),
                                                                path(
                                                                    PathMatchers.segment()
                                                                        .slash("presence"),
                                                                    user ->
                                                                        get(
                                                                            () ->
                                                                                presence(
                                                                                    requester,
                                                                                    user))),
                                                                path(
                                                                    PathMatchers.segment(),
                                                                    user ->
                                                                        get(
                                                                            () ->
                                                                                profile(
                                                                                    requester,
                                                                                    user)))))),
                                            path(
                                                "tokens",
                                                () ->
                                                    concat(
                                                        post(this::login),
                                                        delete(
                                                            () ->
                                                                authenticatedToken(
                                                                    this::logoutEverywhere)))),
                                            path(
                                                PathMatchers.segment("tokens").slash("current"),
                                                () ->
                                                    delete(() -> authenticatedToken(this::logout))),
                                            path("ws", () -> get(this::webSocket)),
                                            pathPrefix(
                                                "account",
                                                () ->
                                                    authenticatedToken(
                                                        token ->
                                                            clientAddress(
                                                                address ->
                                                                    account.routes(
                                                                        token, address)))),
                                            pathPrefix(
                                                "devices", () -> authenticated(devices::devices)),
                                            pathPrefix(
                                                "push",
                                                () -> authenticated(user -> devices.vapidKey())),
                                            pathPrefix(
                                                "blocks", () -> authenticated(blocks::blocks)),
                                            pathPrefix(
                                                "invites", () -> authenticated(invites::join)),
                                            pathPrefix(
                                                "uploads",
                                                () -> authenticated(attachments::uploads)),
                                            pathPrefix(
                                                "conversations",
                                                () -> authenticated(conversations::routes)),
                                            pathPrefix(
                                                "reports",
                                                () -> authenticated(moderation::reports)),
                                            pathPrefix(
                                                "moderation",
                                                () -> authenticated(moderation::moderation))))))));
  }

  // ---- accounts ----

  private Route register() {
    return jsonBody(
        Requests.Register.class,
        req ->
            onSuccess(
                accounts.register(req.username(), req.password(), req.displayName()),
                created ->
                    complete(
                        StatusCodes.CREATED,
                        new Responses.UserCreated(created.userId(), created.username()),
                        Json.MARSHALLER)));
  }

  private Route login() {
    return clientAddress(
        address ->
            jsonBody(
                Requests.Login.class,
                req ->
                    onSuccess(
                        accounts.login(req.username(), req.password(), address),
                        token ->
                            complete(
                                StatusCodes.OK,
                                new Responses.Token(
                                    token.token(), token.userId(), token.expiresAt()),
                                Json.MARSHALLER))));
  }

  /** Logs out the device that presents this token; its open WebSockets close. */
  private Route logout(TokenService.Verified token) {
    return onSuccess(
        revocations.revoke(token),
        done -> {
          Audit.tokensRevoked(token.userId(), "token:" + token.tokenId());
          return complete(StatusCodes.NO_CONTENT);
        });
  }

  /** Logs out every device of the user, this one included; all their WebSockets close. */
  private Route logoutEverywhere(TokenService.Verified token) {
    return onSuccess(
        revocations.revokeAll(token.userId()),
        done -> {
          Audit.tokensRevoked(token.userId(), "all");
          return complete(StatusCodes.NO_CONTENT);
        });
  }

  /** The client's IP address (null if unknown), as {@link ClientAddress} finds it. */
  private Route clientAddress(Function<String, Route> inner) {
    return clientAddresses.extract(inner);
  }

  // ---- users ----

  private Route presence(String requesterId, String userId) {
    return onSuccess(
        presence.presence(requesterId, userId),
        p ->
            complete(
                StatusCodes.OK,
                new Responses.Presence(p.userId(), p.online(), p.lastSeen()),
                Json.MARSHALLER));
  }

  private Route findUser() {
    return parameterOptional(
        "username",
        username -> {
          if (username.isEmpty()) {
            throw DomainException.of(
                ErrorCode.BAD_REQUEST, Rule.MISSING_QUERY_PARAMETER, "username");
          }
          return onSuccess(users.byUsername(username.get()), this::user);
        });
  }

  private Route profile(String requesterId, String userId) {
    return onSuccess(users.profile(requesterId, userId), this::user);
  }

  private Route user(UserDirectory.UserView u) {
    return complete(
        StatusCodes.OK,
        new Responses.User(u.userId(), u.username(), u.displayName(), u.deleted() ? true : null),
        Json.MARSHALLER);
  }

  // ---- WebSocket ----

  private Route webSocket() {
    return optionalHeaderValueByName(
        "Origin",
        origin ->
            optionalHeaderValueByName(
                "Host",
                host -> {
                  if (!webSockets.allowsOrigin(origin, host)) {
                    return clientAddress(
                        address -> {
                          webSockets.originRefused(origin.get(), address);
                          throw new DomainException(ErrorCode.ORIGIN_REFUSED);
                        });
                  }
                  return authenticatedWebSocket();
                }));
  }

  private Route authenticatedWebSocket() {
    return parameterOptional(
        "access_token",
        queryToken ->
            bearerToken(
                headerToken ->
                    verified(
                        headerToken.or(() -> queryToken),
                        this::upgrade,
                        () -> webSockets.refused(ErrorCode.UNAUTHORIZED))));
  }

  private Route upgrade(TokenService.Verified token) {
    return parameterOptional(
        "deviceId",
        deviceId ->
            parameterOptional(
                "client",
                client ->
                    optionalHeaderValueByName(
                        "User-Agent",
                        userAgent ->
                            openSocket(
                                token,
                                deviceId,
                                BodyRules.clientLabel(
                                    client.orElse(null), userAgent.orElse(null))))));
  }

  private Route openSocket(TokenService.Verified token, Optional<String> deviceId, String client) {
    if (deviceId.isEmpty() || !BodyRules.isValidDeviceId(deviceId.get())) {
      webSockets.refused(ErrorCode.BAD_REQUEST);
      throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.DEVICE_ID, "deviceId");
    }
    return clientAddress(
        address -> {
          if (!webSockets.tryOpenFrom(address)) {
            webSockets.refused(ErrorCode.RATE_LIMITED);
            throw DomainException.of(ErrorCode.RATE_LIMITED, Rule.CONNECTIONS_PER_ADDRESS);
          }
          return handleWebSocketMessages(
              webSockets.flow(
                  token.userId(),
                  deviceId.get(),
                  new Credential(token.tokenId(), token.generation(), token.expiresAt()),
                  client,
                  address));
        });
  }

  // ---- helpers ----

  private Route authenticated(Function<String, Route> inner) {
    return authenticatedToken(token -> inner.apply(token.userId()));
  }

  /** The request's bearer token, if it is well signed, unexpired and not revoked. */
  private Route authenticatedToken(Function<TokenService.Verified, Route> inner) {
    return bearerToken(presented -> verified(presented, inner, () -> {}));
  }

  /**
   * {@code inner} with the presented token if it is well signed, unexpired and not revoked;
   * otherwise 401, after {@code onRefused}. A token that was presented and refused is audited.
   */
  private Route verified(
      Optional<String> presented,
      Function<TokenService.Verified, Route> inner,
      Runnable onRefused) {
    if (presented.isEmpty()) {
      onRefused.run();
      return unauthorized();
    }
    Optional<TokenService.Verified> token = presented.flatMap(tokens::check);
    if (token.isEmpty()) return refusedToken("invalid_or_expired", onRefused);
    return onSuccess(
        revocations.allows(token.get()),
        allowed -> allowed ? inner.apply(token.get()) : refusedToken("revoked", onRefused));
  }

  private Route refusedToken(String reason, Runnable onRefused) {
    onRefused.run();
    return clientAddress(
        address -> {
          Audit.tokenRefused(address, reason);
          return unauthorized();
        });
  }

  private Route bearerToken(Function<Optional<String>, Route> inner) {
    return optionalHeaderValueByName(
        "Authorization",
        header ->
            inner.apply(
                header
                    .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(h -> h.substring(7).trim())));
  }

  private Route unauthorized() {
    return errors.error(ErrorCode.UNAUTHORIZED);
  }
}
