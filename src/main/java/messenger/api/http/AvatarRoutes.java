package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import messenger.api.http.dto.Requests;
import messenger.api.http.dto.Responses;
import messenger.app.AvatarService;

/**
 * Profile pictures: the caller's own under {@code /api/v1/account/avatar}, anyone's they may see
 * under {@code /api/v1/users/{id}/avatar}.
 */
public final class AvatarRoutes extends JsonRoutes {

  private final AvatarService avatars;

  public AvatarRoutes(AvatarService avatars, int maxBodyBytes) {
    super(maxBodyBytes);
    this.avatars = avatars;
  }

  /** Under {@code /account/avatar}: upload, set, clear. */
  public Route own(String userId) {
    return concat(
        pathEnd(
            () ->
                concat(
                    put(
                        () ->
                            jsonBody(
                                Requests.SetAvatar.class,
                                req ->
                                    onSuccess(
                                        avatars.set(userId, req.uploadId()),
                                        picture ->
                                            complete(
                                                StatusCodes.OK,
                                                new Responses.Avatar(picture.id(), picture.mime()),
                                                Json.MARSHALLER)))),
                    delete(
                        () ->
                            onSuccess(
                                avatars.clear(userId), done -> complete(StatusCodes.NO_CONTENT))))),
        path(
            "uploads",
            () ->
                post(
                    () ->
                        jsonBody(
                            Requests.AvatarUpload.class,
                            req -> {
                              var ticket = avatars.upload(userId, req.mime(), req.size());
                              return complete(
                                  StatusCodes.CREATED,
                                  AttachmentRoutes.ticketView(ticket),
                                  Json.MARSHALLER);
                            }))));
  }

  /** {@code GET /users/{id}/avatar}: where to fetch it, for the user and their contacts. */
  public Route of(String requesterId, String userId) {
    return get(
        () ->
            onSuccess(
                avatars.download(requesterId, userId),
                signed ->
                    complete(
                        StatusCodes.OK,
                        new Responses.Download(signed.url(), signed.expiresAt()),
                        Json.MARSHALLER)));
  }
}
