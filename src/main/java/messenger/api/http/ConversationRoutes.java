package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.StringUnmarshallers;
import java.util.List;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.api.BodyRules;
import messenger.api.http.dto.Amendments;
import messenger.api.http.dto.Attachments;
import messenger.api.http.dto.Quotes;
import messenger.api.http.dto.Requests;
import messenger.api.http.dto.Responses;
import messenger.app.ConversationService;
import messenger.chat.Amendment;
import messenger.chat.Attachment;
import messenger.chat.ChatMessage;
import messenger.chat.Conversation;
import messenger.chat.ConversationInfo;
import messenger.chat.GroupPermissions;
import messenger.delivery.ConversationSummary;
import messenger.delivery.SendPort;

/**
 * {@code /api/v1/conversations} for an authenticated user: direct conversations and groups, their
 * members, history, sends, settings and receipts.
 */
public final class ConversationRoutes extends JsonRoutes {

  private static final int MAX_PAGE = 100;

  private final ConversationService conversations;
  private final AttachmentRoutes attachments;
  private final InviteRoutes invites;
  private final AuditedRefusals audited;

  public ConversationRoutes(
      ConversationService conversations,
      AttachmentRoutes attachments,
      InviteRoutes invites,
      int maxBodyBytes,
      AuditedRefusals audited) {
    super(maxBodyBytes);
    this.invites = invites;
    this.conversations = conversations;
    this.attachments = attachments;
    this.audited = audited;
  }

  public Route routes(String userId) {
    return audited.around(userId, () -> conversationRoutes(userId));
  }

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
                    path(
                        PathMatchers.segment("messages")
                            .slash(PathMatchers.longSegment())
                            .slash("attachments")
                            .slash(PathMatchers.segment()),
                        (seq, attachmentId) ->
                            attachments.download(userId, conversationId, seq, attachmentId)),
                    path(
                        PathMatchers.segment("messages")
                            .slash(PathMatchers.longSegment())
                            .slash("amendments"),
                        seq -> post(() -> amend(userId, conversationId, seq))),
                    pathPrefix(
                        "members",
                        () ->
                            concat(
                                pathEnd(() -> post(() -> addMember(userId, conversationId))),
                                path(
                                    PathMatchers.segment(),
                                    member ->
                                        delete(() -> removeMember(userId, conversationId, member))),
                                path(
                                    PathMatchers.segment().slash("role"),
                                    member -> put(() -> setRole(userId, conversationId, member))))),
                    path("permissions", () -> put(() -> setPermissions(userId, conversationId))),
                    pathPrefix("invites", () -> invites.forConversation(userId, conversationId)),
                    path("settings", () -> patch(() -> settings(userId, conversationId))),
                    path("receipts", () -> get(() -> receipts(userId, conversationId))))));
  }

  private Route listConversations(String userId) {
    return onSuccess(
        conversations.list(userId),
        list ->
            complete(
                StatusCodes.OK,
                new Responses.ConversationList(
                    list.stream().map(ConversationRoutes::listItem).toList()),
                Json.MARSHALLER));
  }

  private Route create(String userId) {
    return jsonBody(
        Requests.CreateConversation.class,
        req -> {
          if ("group".equals(req.type())) return createGroup(userId, req);
          if (!"direct".equals(req.type())) {
            throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.CONVERSATION_TYPE);
          }
          List<String> members = req.members() == null ? List.of() : req.members();
          List<String> others = members.stream().filter(m -> !m.equals(userId)).distinct().toList();
          if (others.size() != 1) {
            throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.DIRECT_NEEDS_ONE_OTHER);
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
      throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.USER_IDS, "members");
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
                        .toList(),
                    messenger.api.http.dto.SystemChanges.permissions(d.roster().permissions())),
                Json.MARSHALLER));
  }

  private Route setRole(String userId, String conversationId, String member) {
    return jsonBody(
        Requests.SetRole.class,
        req ->
            changed(
                conversations.setRole(
                    userId, conversationId, member, GroupAdminWire.role(req.role()))));
  }

  private Route setPermissions(String userId, String conversationId) {
    return jsonBody(
        Requests.Permissions.class,
        req ->
            changed(
                conversations.setPermissions(
                    userId,
                    conversationId,
                    new GroupPermissions(
                        GroupAdminWire.who("addMembers", req.addMembers()),
                        GroupAdminWire.who("rename", req.rename())))));
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
            throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "userId");
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

  private Route settings(String userId, String conversationId) {
    return jsonBody(
        Requests.ConversationSettings.class,
        req -> {
          if (req.muted() == null) {
            throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "muted");
          }
          return onSuccess(
              conversations.setMuted(userId, conversationId, req.muted()),
              done -> complete(StatusCodes.NO_CONTENT));
        });
  }

  private Route changed(CompletionStage<Conversation.Changed> change) {
    return onSuccess(
        change, c -> complete(StatusCodes.OK, new Responses.Changed(c.seq()), Json.MARSHALLER));
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
                    throw new DomainException(
                        ErrorCode.BAD_REQUEST,
                        ErrorDetail.between(Rule.RANGE, "limit", 1, MAX_PAGE));
                  }
                  if (beforeSeq.isPresent() && beforeSeq.get() < 1) {
                    throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.POSITIVE, "beforeSeq");
                  }
                  return onSuccess(
                      conversations.history(userId, conversationId, beforeSeq.orElse(null), size),
                      page ->
                          complete(
                              StatusCodes.OK,
                              new Responses.History(
                                  page.messages().stream()
                                      .map(counted -> message(counted, userId))
                                      .toList(),
                                  page.hasMore()),
                              Json.MARSHALLER));
                }));
  }

  private Route send(String userId, String conversationId) {
    return jsonBody(
        Requests.SendMessage.class,
        req -> {
          BodyRules.requireClientMsgId(req.clientMsgId());
          List<Attachment> files = Attachments.fromWire(req.attachments());
          BodyRules.requireBodyOrFiles(req.body(), !files.isEmpty(), maxBodyBytes);
          String body = req.body() == null ? "" : req.body();
          var content =
              new SendPort.Content(
                  body,
                  files,
                  BodyRules.replyTo(req.replyTo() == null ? null : req.replyTo().seq()),
                  BodyRules.mentions(req.mentions()),
                  null);
          return onSuccess(
              conversations.send(userId, conversationId, req.clientMsgId(), content),
              posted ->
                  complete(
                      StatusCodes.CREATED,
                      new Responses.Sent(
                          posted.messageId(),
                          posted.conversationId(),
                          posted.seq(),
                          posted.timestamp()),
                      Json.MARSHALLER));
        });
  }

  /** An edit, deletion or reaction: the same path as the WebSocket's edit, delete, react frames. */
  private Route amend(String userId, String conversationId, long seq) {
    return jsonBody(
        Requests.Amend.class,
        req -> {
          BodyRules.requireClientMsgId(req.clientMsgId());
          Amendment amendment = amendment(req, seq);
          return onSuccess(
              conversations.send(
                  userId, conversationId, req.clientMsgId(), SendPort.Content.of(amendment)),
              posted ->
                  complete(
                      StatusCodes.CREATED,
                      new Responses.Sent(
                          posted.messageId(),
                          posted.conversationId(),
                          posted.seq(),
                          posted.timestamp()),
                      Json.MARSHALLER));
        });
  }

  private Amendment amendment(Requests.Amend req, long seq) {
    if (seq < 1) throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.POSITIVE, "seq");
    String kind = req.kind() == null ? "" : req.kind();
    return switch (kind) {
      case "edit" -> {
        BodyRules.requireBody(req.body(), maxBodyBytes);
        yield Amendment.edit(seq, req.body());
      }
      case "delete" -> Amendment.delete(seq);
      case "reaction" -> {
        BodyRules.requireEmoji(req.emoji());
        yield Amendment.reaction(seq, req.emoji(), req.on() == null || req.on());
      }
      default -> throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "kind");
    };
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
            : new Responses.LastMessage(
                last.seq(), last.senderId(), last.preview(), last.timestamp()),
        s.unread(),
        s.left(),
        s.muted());
  }

  private static Responses.MessageView message(ConversationService.Counted counted, String reader) {
    ChatMessage m = counted.message();
    var later = m.later();
    return new Responses.MessageView(
        m.messageId(),
        m.conversationId(),
        m.seq(),
        m.senderId(),
        m.body(),
        m.timestamp(),
        messenger.api.http.dto.SystemChanges.view(m.change()),
        counted.deliveredTo(),
        counted.readBy(),
        counted.of(),
        Attachments.view(m.attachments()),
        Amendments.view(m.amendment()),
        later.editedAt(),
        Amendments.deleted(later),
        Amendments.reactions(later, reader),
        Quotes.view(m.quote()),
        Quotes.mentions(m.mentioned()),
        counted.fromBlocked() ? Boolean.TRUE : null);
  }

  private static String wireType(ConversationInfo info) {
    return info.type().name().toLowerCase(java.util.Locale.ROOT);
  }
}
