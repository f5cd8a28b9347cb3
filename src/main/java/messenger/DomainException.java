package messenger;

/** A refusal by the domain, carrying its stable {@link ErrorCode}; the edge maps it to a status. */
public final class DomainException extends RuntimeException {
  private final ErrorCode code;

  public DomainException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
