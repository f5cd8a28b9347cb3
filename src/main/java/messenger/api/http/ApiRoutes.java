package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.StringUnmarshallers;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.api.http.dto.Requests;
import messenger.api.http.dto.Responses;
import messenger.api.BodyRules;
import messenger.api.ws.WebSocketHandler;
import messenger.app.ConversationService;
import messenger.auth.Accounts;
import messenger.auth.TokenService;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.delivery.ConversationSummary;

/**
 * The HTTP API under {@code /api/v1}: decodes requests, calls the services, encodes answers. No
 * domain decisions here; failures go through {@link ErrorMapping}.
 */
public final class ApiRoutes extends AllDirectives {

  private static final int MAX_PAGE = 100;

  private final Accounts accounts;
  private final TokenService tokens;
  private final ConversationService conversations;
  private final WebSocketHandler webSockets;
  private final HealthRoutes health;
  private final DeviceRoutes devices;
  private final messenger.app.PresenceService presence;
  private final Route metrics;
  private final ErrorMapping errors = new ErrorMapping();
  private final int maxBodyBytes;

  public ApiRoutes(
      Accounts accounts,
      TokenService tokens,
      ConversationService conversations,
      WebSocketHandler webSockets,
      HealthRoutes health,
      DeviceRoutes devices,
      messenger.app.PresenceService presence,
      Route metrics,
      int maxBodyBytes) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.conversations = conversations;
    this.webSockets = webSockets;
    this.health = health;
    this.devices = devices;
    this.presence = presence;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
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
                        pathPrefix(
                            "api",
                            () ->
                                pathPrefix(
                                    "v1",
                                    () ->
                                        concat(
                                            health.routes(),
                                            path("users", () -> post(this::register)),
                                            pathPrefix(
                                                "users",
                                                () ->
                                                    authenticated(
                                                        requester ->
                                                            path(
                                                                PathMatchers.segment().slash("presence"),
                                                                user -> get(() -> presence(requester, user))))),
                                            path("tokens", () -> post(this::login)),
                                            path("ws", this::webSocket),
                                            pathPrefix(
                                                "devices", () -> authenticated(devices::devices)),
                                            pathPrefix(
                                                "push", () -> authenticated(user -> devices.vapidKey())),
                                            pathPrefix(
                                                "conversations",
                                                () -> authenticated(this::conversationRoutes))))))));
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
    return jsonBody(
        Requests.Login.class,
        req ->
            onSuccess(
                accounts.login(req.username(), req.password()),
                token ->
                    complete(
                        StatusCodes.OK,
                        new Responses.Token(token.token(), token.userId(), token.expiresAt()),
                        Json.MARSHALLER)));
  }

  // ---- conversations ----

  private Route conversationRoutes(String userId) {
    return concat(
        pathEnd(() -> concat(get(() -> listConversations(userId)), post(() -> create(userId)))),
        pathPrefix(
            PathMatchers.segment(),
            conversationId ->
                concat(
                    pathEnd(
                        () ->
                            concat(
                                get(() -> details(userId, conversationId)),
                                patch(() -> rename(userId, conversationId)))),
                    path(
                        "messages",
                        () ->
                            concat(
                                get(() -> history(userId, conversationId)),
                                post(() -> send(userId, conversationId)))),
                    pathPrefix(
                        "members",
                        () ->
                            concat(
                                pathEnd(() -> post(() -> addMember(userId, conversationId))),
                                path(
                                    PathMatchers.segment(),
                                    member -> delete(() -> removeMember(userId, conversationId, member))))),
                    path("settings", () -> patch(() -> settings(userId, conversationId))),
                    path("receipts", () -> get(() -> receipts(userId, conversationId))))));
  }

  private Route listConversations(String userId) {
    return onSuccess(
        conversations.list(userId),
        list ->
            complete(
                StatusCodes.OK,
                new Responses.ConversationList(list.stream().map(ApiRoutes::listItem).toList()),
                Json.MARSHALLER));
  }

  private Route create(String userId) {
    return jsonBody(
        Requests.CreateConversation.class,
        req -> {
          if ("group".equals(req.type())) return createGroup(userId, req);
          if (!"direct".equals(req.type())) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "type must be \"direct\" or \"group\"");
          }
          List<String> members = req.members() == null ? List.of() : req.members();
          List<String> others = members.stream().filter(m -> !m.equals(userId)).distinct().toList();
          if (others.size() != 1) {
            throw new DomainException(
                ErrorCode.BAD_REQUEST, "a direct conversation needs exactly one other member");
          }
          return onSuccess(
              conversations.openDirect(userId, others.get(0)),
              created ->
                  complete(
                      created.alreadyExisted() ? StatusCodes.OK : StatusCodes.CREATED,
                      view(created.info()),
                      Json.MARSHALLER));
        });
  }

  private Route createGroup(String userId, Requests.CreateConversation req) {
    BodyRules.requireTitle(req.title());
    List<String> members = req.members() == null ? List.of() : req.members();
    if (members.stream().anyMatch(m -> m == null || m.isBlank())) {
      throw new DomainException(ErrorCode.BAD_REQUEST, "members must be user ids");
    }
    return onSuccess(
        conversations.createGroup(userId, req.title(), members),
        created -> complete(StatusCodes.CREATED, view(created.info()), Json.MARSHALLER));
  }

  private Route details(String userId, String conversationId) {
    return onSuccess(
        conversations.details(userId, conversationId),
        d ->
            complete(
                StatusCodes.OK,
                new Responses.ConversationDetails(
                    d.info().conversationId(),
                    wireType(d.info()),
                    d.title(),
                    d.info().createdAt(),
                    d.lastSeq(),
                    d.roster().members().entrySet().stream()
                        .map(
                            e ->
                                new Responses.Member(
                                    e.getKey(),
                                    e.getValue().role().name().toLowerCase(java.util.Locale.ROOT),
                                    e.getValue().joinedSeq()))
                        .toList()),
                Json.MARSHALLER));
  }

  private Route rename(String userId, String conversationId) {
    return jsonBody(
        Requests.Rename.class,
        req -> {
          BodyRules.requireTitle(req.title());
          return changed(conversations.rename(userId, conversationId, req.title()));
        });
  }

  private Route addMember(String userId, String conversationId) {
    return jsonBody(
        Requests.AddMember.class,
        req -> {
          if (req.userId() == null || req.userId().isBlank()) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "userId is required");
          }
          return changed(conversations.addMember(userId, conversationId, req.userId()));
        });
  }

  private Route removeMember(String userId, String conversationId, String member) {
    return changed(conversations.removeMember(userId, conversationId, member));
  }

  private Route receipts(String userId, String conversationId) {
    return onSuccess(
        conversations.receipts(userId, conversationId),
        byMember ->
            complete(
                StatusCodes.OK,
                new Responses.Receipts(
                    conversationId,
                    byMember.entrySet().stream()
                        .map(
                            e ->
                                new Responses.MemberReceipts(
                                    e.getKey(), e.getValue().delivered(), e.getValue().read()))
                        .toList()),
                Json.MARSHALLER));
  }

  private Route presence(String requesterId, String userId) {
    return onSuccess(
        presence.presence(requesterId, userId),
        p -> complete(StatusCodes.OK, new Responses.Presence(p.userId(), p.online(), p.lastSeen()), Json.MARSHALLER));
  }

  private Route settings(String userId, String conversationId) {
    return jsonBody(
        Requests.ConversationSettings.class,
        req -> {
          if (req.muted() == null) throw new DomainException(ErrorCode.BAD_REQUEST, "muted is required");
          return onSuccess(
              conversations.setMuted(userId, conversationId, req.muted()),
              done -> complete(StatusCodes.NO_CONTENT));
        });
  }

  private Route changed(java.util.concurrent.CompletionStage<messenger.chat.Conversation.Changed> change) {
    return onSuccess(
        change,
        c -> complete(StatusCodes.OK, new Responses.Changed(c.seq()), Json.MARSHALLER));
  }

  private Route history(String userId, String conversationId) {
    return parameterOptional(
        StringUnmarshallers.LONG,
        "beforeSeq",
        beforeSeq ->
            parameterOptional(
                StringUnmarshallers.INTEGER,
                "limit",
                limit -> {
                  int size = limit.orElse(50);
                  if (size < 1 || size > MAX_PAGE) {
                    throw new DomainException(ErrorCode.BAD_REQUEST, "limit must be 1 to " + MAX_PAGE);
                  }
                  if (beforeSeq.isPresent() && beforeSeq.get() < 1) {
                    throw new DomainException(ErrorCode.BAD_REQUEST, "beforeSeq must be positive");
                  }
                  return onSuccess(
                      conversations.history(userId, conversationId, beforeSeq.orElse(null), size),
                      page ->
                          complete(
                              StatusCodes.OK,
                              new Responses.History(
                                  page.messages().stream().map(ApiRoutes::message).toList(),
                                  page.hasMore()),
                              Json.MARSHALLER));
                }));
  }

  private Route send(String userId, String conversationId) {
    return jsonBody(
        Requests.SendMessage.class,
        req -> {
          BodyRules.requireClientMsgId(req.clientMsgId());
          BodyRules.requireBody(req.body(), maxBodyBytes);
          return onSuccess(
              conversations.send(userId, conversationId, req.clientMsgId(), req.body()),
              posted ->
                  complete(
                      StatusCodes.CREATED,
                      new Responses.Sent(
                          posted.messageId(), posted.conversationId(), posted.seq(), posted.timestamp()),
                      Json.MARSHALLER));
        });
  }

  // ---- WebSocket ----

  private Route webSocket() {
    return parameterOptional(
        "access_token",
        queryToken ->
            bearerToken(
                headerToken -> {
                  Optional<String> userId =
                      headerToken.or(() -> queryToken).flatMap(tokens::verify);
                  if (userId.isEmpty()) {
                    webSockets.refused(ErrorCode.UNAUTHORIZED);
                    return unauthorized();
                  }
                  return parameterOptional(
                      "deviceId",
                      deviceId -> {
                        if (deviceId.isEmpty() || !BodyRules.isValidDeviceId(deviceId.get())) {
                          webSockets.refused(ErrorCode.BAD_REQUEST);
                          throw new DomainException(
                              ErrorCode.BAD_REQUEST,
                              "deviceId is required: 1-64 of letters, digits, '_', '.', '-'");
                        }
                        return handleWebSocketMessages(webSockets.flow(userId.get(), deviceId.get()));
                      });
                }));
  }

  // ---- helpers ----

  private Route authenticated(Function<String, Route> inner) {
    return bearerToken(
        token -> {
          Optional<String> userId = token.flatMap(tokens::verify);
          return userId.map(inner).orElseGet(this::unauthorized);
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
    return errors.error(ErrorCode.UNAUTHORIZED, "a valid bearer token is required");
  }

  private <T> Route jsonBody(Class<T> type, Function<T, Route> inner) {
    // The limit covers a maximal message body plus JSON escaping and the other fields.
    return withSizeLimit(
        maxBodyBytes * 6L + 4096,
        () -> entity(Unmarshaller.entityToString(), body -> inner.apply(Json.read(body, type))));
  }

  private static Responses.ConversationView view(ConversationInfo info) {
    return new Responses.ConversationView(
        info.conversationId(), wireType(info), info.title(), info.members(), info.createdAt());
  }

  private static Responses.ConversationListItem listItem(ConversationSummary s) {
    var last = s.last();
    return new Responses.ConversationListItem(
        s.info().conversationId(),
        wireType(s.info()),
        s.info().title(),
        s.info().members(),
        s.info().createdAt(),
        s.lastSeq(),
        last == null
            ? null
            : new Responses.LastMessage(last.seq(), last.senderId(), last.preview(), last.timestamp()),
        s.unread(),
        s.left(),
        s.muted());
  }

  private static Responses.MessageView message(ChatMessage m) {
    return new Responses.MessageView(
        m.messageId(),
        m.conversationId(),
        m.seq(),
        m.senderId(),
        m.body(),
        m.timestamp(),
        messenger.api.http.dto.SystemChanges.view(m.change()));
  }

  private static String wireType(ConversationInfo info) {
    return info.type().name().toLowerCase(java.util.Locale.ROOT);
  }
}
