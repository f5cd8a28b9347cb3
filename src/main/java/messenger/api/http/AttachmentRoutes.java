package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail.Rule;
import messenger.api.http.dto.Requests;
import messenger.api.http.dto.Responses;
import messenger.app.AttachmentService;
import messenger.media.AttachmentStore;

/**
 * {@code POST /api/v1/uploads} (where to PUT a file) and the download of a message's attachment
 * (where to GET it): both answer with a short-lived presigned URL of the object store.
 */
public final class AttachmentRoutes extends JsonRoutes {

  private final AttachmentService attachments;

  public AttachmentRoutes(AttachmentService attachments, int maxBodyBytes) {
    super(maxBodyBytes);
    this.attachments = attachments;
  }

  public Route uploads(String userId) {
    return pathEnd(
        () ->
            post(
                () ->
                    jsonBody(
                        Requests.Upload.class,
                        req -> {
                          if (req.conversationId() == null || req.conversationId().isBlank()) {
                            throw DomainException.of(
                                ErrorCode.BAD_REQUEST, Rule.REQUIRED, "conversationId");
                          }
                          if (req.size() == null) {
                            throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "size");
                          }
                          return onSuccess(
                              attachments.requestUpload(
                                  userId, req.conversationId(), req.mime(), req.size(), req.name()),
                              ticket ->
                                  complete(
                                      StatusCodes.CREATED, ticketView(ticket), Json.MARSHALLER));
                        })));
  }

  /** An upload ticket as the wire has it (attachments' and pictures' alike). */
  static Responses.UploadTicket ticketView(AttachmentStore.UploadTicket ticket) {
    return new Responses.UploadTicket(
        ticket.uploadId(),
        ticket.upload().method(),
        ticket.upload().url(),
        ticket.upload().headers(),
        ticket.upload().expiresAt());
  }

  Route download(String userId, String conversationId, long seq, String attachmentId) {
    return get(
        () ->
            onSuccess(
                attachments.download(userId, conversationId, seq, attachmentId),
                signed ->
                    complete(
                        StatusCodes.OK,
                        new Responses.Download(signed.url(), signed.expiresAt()),
                        Json.MARSHALLER)));
  }
}
