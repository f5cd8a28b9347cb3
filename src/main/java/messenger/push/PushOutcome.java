package messenger.push;

import java.time.Duration;

/** How one attempt to push ended, and so what to do next. */
public sealed interface PushOutcome
    permits PushOutcome.Delivered,
        PushOutcome.RetryLater,
        PushOutcome.Gone,
        PushOutcome.Rejected,
        PushOutcome.Failed {

  /** The push service accepted the message (RFC 8030: 201). */
  record Delivered() implements PushOutcome {}

  /**
   * The push service is overloaded or failing (429, 5xx): try again later.
   *
   * @param retryAfter the service's {@code Retry-After}, or null when it gave none
   */
  record RetryLater(Duration retryAfter, int status) implements PushOutcome {}

  /** The subscription no longer exists (404, 410): forget the endpoint. */
  record Gone(int status) implements PushOutcome {}

  /**
   * The request was refused in a way that a retry would not fix (other 4xx, or status 0 when it
   * could not even be built, e.g. unusable keys).
   */
  record Rejected(int status, String reason) implements PushOutcome {}

  /** No answer: the connection failed or timed out. Worth a retry. */
  record Failed(Throwable cause) implements PushOutcome {}

  /**
   * The outcome of an HTTP answer: any 2xx is delivered (201 per RFC 8030; some services say 200 or
   * 202); 408, 429 and 5xx are worth a retry; 404 and 410 mean gone; everything else is rejected.
   */
  static PushOutcome ofStatus(int status, Duration retryAfter, String reason) {
    if (status >= 200 && status < 300) return new Delivered();
    if (status == 404 || status == 410) return new Gone(status);
    if (status == 408 || status == 429 || status >= 500) return new RetryLater(retryAfter, status);
    return new Rejected(status, reason);
  }
}
