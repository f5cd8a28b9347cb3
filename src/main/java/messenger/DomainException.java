package messenger;

import java.util.Optional;

/**
 * A refusal by the domain: its stable {@link ErrorCode} and, where it helps the client, an {@link
 * ErrorDetail} saying which rule or what was concerned. It carries no sentence: the edge writes
 * that ({@code api.ErrorText}) and maps the code to a status.
 */
public final class DomainException extends RuntimeException {
  private final ErrorCode code;
  private final ErrorDetail detail;

  public DomainException(ErrorCode code) {
    this(code, null);
  }

  public DomainException(ErrorCode code, ErrorDetail detail) {
    // The message is for logs only; clients read ErrorText's sentence.
    super(detail == null ? code.wire() : code.wire() + " " + detail);
    this.code = code;
    this.detail = detail;
  }

  public static DomainException of(ErrorCode code, ErrorDetail.Rule rule) {
    return new DomainException(code, ErrorDetail.of(rule));
  }

  public static DomainException of(ErrorCode code, ErrorDetail.Rule rule, String subject) {
    return new DomainException(code, ErrorDetail.of(rule, subject));
  }

  public ErrorCode code() {
    return code;
  }

  public Optional<ErrorDetail> detail() {
    return Optional.ofNullable(detail);
  }
}
