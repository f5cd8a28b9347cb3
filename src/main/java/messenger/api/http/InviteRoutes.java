package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import java.time.Duration;
import messenger.api.http.dto.Requests;
import messenger.api.http.dto.Responses;
import messenger.app.InviteService;

/**
 * A group's invite links ({@code /api/v1/conversations/{id}/invites}) and joining with one ({@code
 * POST /api/v1/invites/join}), for a signed-in user.
 */
public final class InviteRoutes extends JsonRoutes {

  private final InviteService invites;

  public InviteRoutes(InviteService invites, int maxBodyBytes) {
    super(maxBodyBytes);
    this.invites = invites;
  }

  /** Under {@code /conversations/{id}/invites}. */
  public Route forConversation(String userId, String conversationId) {
    return concat(
        pathEnd(
            () ->
                concat(
                    post(
                        () ->
                            jsonBody(
                                Requests.CreateInvite.class,
                                req ->
                                    onSuccess(
                                        invites.create(
                                            userId,
                                            conversationId,
                                            req.expiresInSeconds() == null
                                                ? null
                                                : Duration.ofSeconds(req.expiresInSeconds())),
                                        link ->
                                            complete(
                                                StatusCodes.CREATED,
                                                view(link),
                                                Json.MARSHALLER)))),
                    get(
                        () ->
                            onSuccess(
                                invites.list(userId, conversationId),
                                links ->
                                    complete(
                                        StatusCodes.OK,
                                        new Responses.Invites(
                                            links.stream().map(InviteRoutes::view).toList()),
                                        Json.MARSHALLER))))),
        path(
            PathMatchers.segment(),
            inviteId ->
                delete(
                    () ->
                        onSuccess(
                            invites.revoke(userId, conversationId, inviteId),
                            done -> complete(StatusCodes.NO_CONTENT)))));
  }

  /** Under {@code /invites}. */
  public Route join(String userId) {
    return path(
        "join",
        () ->
            post(
                () ->
                    jsonBody(
                        Requests.JoinInvite.class,
                        req ->
                            onSuccess(
                                invites.join(userId, req.token()),
                                joined ->
                                    complete(
                                        StatusCodes.OK,
                                        new Responses.Joined(joined.conversationId(), joined.seq()),
                                        Json.MARSHALLER)))));
  }

  private static Responses.Invite view(InviteService.Link link) {
    return new Responses.Invite(link.inviteId(), link.creatorId(), link.expiresAt(), link.token());
  }
}
