package messenger.api.http;

import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.AuthorizationFailedRejection;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.MalformedQueryParamRejection;
import akka.http.javadsl.server.MalformedRequestContentRejection;
import akka.http.javadsl.server.MethodRejection;
import akka.http.javadsl.server.MissingQueryParamRejection;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import akka.http.scaladsl.model.EntityStreamSizeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.api.http.dto.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP statuses with a stable error code. */
public final class ErrorMapping extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

  public static StatusCode status(ErrorCode code) {
    return switch (code) {
      case BAD_REQUEST, BAD_FRAME, UNKNOWN_TYPE -> StatusCodes.BAD_REQUEST;
      case TOO_LARGE -> StatusCodes.PAYLOAD_TOO_LARGE;
      case NOT_MEMBER, NOT_ADMIN, ORIGIN_REFUSED -> StatusCodes.FORBIDDEN;
      case GROUP_FULL -> StatusCodes.CONFLICT;
      case NOT_FOUND -> StatusCodes.NOT_FOUND;
      case UNAUTHORIZED -> StatusCodes.UNAUTHORIZED;
      case USERNAME_TAKEN, REPLACED -> StatusCodes.CONFLICT;
      case UNAVAILABLE, GOING_AWAY -> StatusCodes.SERVICE_UNAVAILABLE;
      case DEVICE_LIMIT, RATE_LIMITED -> StatusCodes.TOO_MANY_REQUESTS;
      case HEARTBEAT_TIMEOUT, SLOW_CONSUMER -> StatusCodes.REQUEST_TIMEOUT;
    };
  }

  public Route error(ErrorCode code, String message) {
    return complete(status(code), new Responses.Error(code.wire(), message), Json.MARSHALLER);
  }

  public ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(Throwable.class, this::onFailure)
        .build();
  }

  private Route onFailure(Throwable thrown) {
    Throwable cause = thrown;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof DomainException refusal) return error(refusal.code(), refusal.getMessage());
    if (cause instanceof TimeoutException || cause instanceof RejectedExecutionException) {
      return error(ErrorCode.UNAVAILABLE, "the service did not answer in time; try again");
    }
    if (cause instanceof EntityStreamSizeException) {
      return error(ErrorCode.TOO_LARGE, "request body too large");
    }
    log.error("Unexpected failure", cause);
    return complete(
        StatusCodes.INTERNAL_SERVER_ERROR,
        new Responses.Error("internal", "unexpected server error"),
        Json.MARSHALLER);
  }

  public RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handle(
            MalformedRequestContentRejection.class,
            r -> error(ErrorCode.BAD_REQUEST, "malformed request body: " + r.message()))
        .handle(
            UnsupportedRequestContentTypeRejection.class,
            r -> error(ErrorCode.BAD_REQUEST, "expected a JSON body"))
        .handle(
            MalformedQueryParamRejection.class,
            r -> error(ErrorCode.BAD_REQUEST, "invalid query parameter " + r.parameterName()))
        .handle(
            MissingQueryParamRejection.class,
            r -> error(ErrorCode.BAD_REQUEST, "missing query parameter " + r.parameterName()))
        .handle(
            AuthorizationFailedRejection.class,
            r -> error(ErrorCode.NOT_MEMBER, "not allowed"))
        .handleAll(
            MethodRejection.class,
            rs ->
                complete(
                    StatusCodes.METHOD_NOT_ALLOWED,
                    new Responses.Error("method_not_allowed", "method not allowed here"),
                    Json.MARSHALLER))
        .handleNotFound(error(ErrorCode.NOT_FOUND, "no such resource"))
        .build()
        .withFallback(RejectionHandler.defaultHandler());
  }
}
