package messenger.api.ws;

import messenger.ErrorCode;

/** A frame that cannot be acted on; answered with an error frame, the connection stays open. */
final class BadFrame extends RuntimeException {
  final ErrorCode code;
  final String ref;

  BadFrame(ErrorCode code, String message, String ref) {
    super(message, null, false, false);
    this.code = code;
    this.ref = ref;
  }
}
