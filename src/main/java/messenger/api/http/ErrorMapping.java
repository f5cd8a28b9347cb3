package messenger.api.http;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.AuthorizationFailedRejection;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.ExpectedWebSocketRequestRejection;
import akka.http.javadsl.server.MalformedQueryParamRejection;
import akka.http.javadsl.server.MalformedRequestContentRejection;
import akka.http.javadsl.server.MethodRejection;
import akka.http.javadsl.server.MissingQueryParamRejection;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import akka.http.scaladsl.model.EntityStreamSizeException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.api.ErrorText;
import messenger.api.http.dto.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP statuses with a stable error code. */
public final class ErrorMapping extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

  public static StatusCode status(ErrorCode code) {
    return switch (code) {
      case BAD_REQUEST, BAD_FRAME, UNKNOWN_TYPE -> StatusCodes.BAD_REQUEST;
      case PUSH_KIND_UNAVAILABLE, UPLOAD_NOT_FOUND, UPLOAD_MISMATCH ->
          StatusCodes.UNPROCESSABLE_ENTITY;
      case TYPE_NOT_ALLOWED -> StatusCodes.UNSUPPORTED_MEDIA_TYPE;
      case TOO_MANY_ATTACHMENTS -> StatusCodes.BAD_REQUEST;
      case TOO_LARGE -> StatusCodes.PAYLOAD_TOO_LARGE;
      case NOT_MEMBER,
          NOT_ADMIN,
          ORIGIN_REFUSED,
          NOT_SENDER,
          EDIT_WINDOW_PASSED,
          SUSPENDED,
          NOT_MODERATOR,
          WRONG_PASSWORD ->
          StatusCodes.FORBIDDEN;
      case BLOCKED -> StatusCodes.FORBIDDEN;
      case TOO_MANY_BLOCKS -> StatusCodes.CONFLICT;
      case NOT_A_MESSAGE, REACTION_NOT_ALLOWED, MENTION_NOT_MEMBER ->
          StatusCodes.UNPROCESSABLE_ENTITY;
      case MESSAGE_DELETED -> StatusCodes.GONE;
      case GROUP_FULL, LAST_ADMIN, TOO_MANY_INVITES -> StatusCodes.CONFLICT;
      case NOT_FOUND -> StatusCodes.NOT_FOUND;
      case UNAUTHORIZED -> StatusCodes.UNAUTHORIZED;
      case USERNAME_TAKEN, REPLACED -> StatusCodes.CONFLICT;
      case UNAVAILABLE, GOING_AWAY, OVERLOADED -> StatusCodes.SERVICE_UNAVAILABLE;
      case DEVICE_LIMIT, RATE_LIMITED -> StatusCodes.TOO_MANY_REQUESTS;
      case HEARTBEAT_TIMEOUT, SLOW_CONSUMER -> StatusCodes.REQUEST_TIMEOUT;
    };
  }

  public Route error(ErrorCode code) {
    return error(code, null);
  }

  /** The refusal's answer, worded by {@link ErrorText}. */
  public Route error(ErrorCode code, ErrorDetail detail) {
    return complete(
        status(code),
        new Responses.Error(code.wire(), ErrorText.of(code, detail)),
        Json.MARSHALLER);
  }

  /** A refusal that names a wait ({@code overloaded}) also says it in a Retry-After header. */
  private Route error(DomainException refusal) {
    Long retryAfterMs = refusal.detail().map(ErrorDetail::retryAfterMs).orElse(null);
    var body = new Responses.Error(refusal.code().wire(), ErrorText.of(refusal), retryAfterMs);
    if (retryAfterMs == null) return complete(status(refusal.code()), body, Json.MARSHALLER);
    // Retry-After is in whole seconds (RFC 9110); round up so that no client comes back early.
    long seconds = Math.max(1, (retryAfterMs + 999) / 1000);
    return complete(
        status(refusal.code()),
        List.<HttpHeader>of(RawHeader.create("Retry-After", Long.toString(seconds))),
        body,
        Json.MARSHALLER);
  }

  public ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder().match(Throwable.class, this::onFailure).build();
  }

  private Route onFailure(Throwable thrown) {
    Throwable cause = thrown;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof DomainException refusal) return error(refusal);
    if (cause instanceof TimeoutException || cause instanceof RejectedExecutionException) {
      return error(ErrorCode.UNAVAILABLE);
    }
    if (cause instanceof EntityStreamSizeException tooLarge) {
      return error(
          ErrorCode.TOO_LARGE, ErrorDetail.atMost(Rule.REQUEST_BYTES, null, tooLarge.limit()));
    }
    log.error("Unexpected failure", cause);
    return complete(
        StatusCodes.INTERNAL_SERVER_ERROR,
        new Responses.Error("internal", ErrorText.internal()),
        Json.MARSHALLER);
  }

  public RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handle(
            MalformedRequestContentRejection.class,
            r ->
                error(
                    ErrorCode.BAD_REQUEST,
                    r.getCause() instanceof EntityStreamSizeException tooLarge
                        ? ErrorDetail.atMost(Rule.REQUEST_BYTES, null, tooLarge.limit())
                        : ErrorDetail.of(Rule.UNREADABLE_BODY)))
        .handle(
            UnsupportedRequestContentTypeRejection.class,
            r -> error(ErrorCode.BAD_REQUEST, ErrorDetail.of(Rule.JSON_CONTENT_TYPE)))
        .handle(
            MalformedQueryParamRejection.class,
            r ->
                error(
                    ErrorCode.BAD_REQUEST, ErrorDetail.of(Rule.QUERY_PARAMETER, r.parameterName())))
        .handle(
            MissingQueryParamRejection.class,
            r ->
                error(
                    ErrorCode.BAD_REQUEST,
                    ErrorDetail.of(Rule.MISSING_QUERY_PARAMETER, r.parameterName())))
        .handle(
            // A plain GET of /api/v1/ws: Akka's default answer is text; clients read an error body.
            ExpectedWebSocketRequestRejection.class,
            r -> error(ErrorCode.BAD_REQUEST, ErrorDetail.of(Rule.WEBSOCKET_UPGRADE)))
        .handle(
            AuthorizationFailedRejection.class,
            r -> error(ErrorCode.NOT_MEMBER, ErrorDetail.of(Rule.NOT_ALLOWED)))
        .handleAll(
            MethodRejection.class,
            rs ->
                complete(
                    StatusCodes.METHOD_NOT_ALLOWED,
                    new Responses.Error("method_not_allowed", ErrorText.methodNotAllowed()),
                    Json.MARSHALLER))
        .handleNotFound(error(ErrorCode.NOT_FOUND, ErrorDetail.of(Rule.NO_SUCH_RESOURCE)))
        .build()
        .withFallback(RejectionHandler.defaultHandler());
  }
}
