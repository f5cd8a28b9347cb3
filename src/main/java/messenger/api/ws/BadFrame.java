package messenger.api.ws;

import messenger.ErrorCode;
import messenger.ErrorDetail;

/** A frame that cannot be acted on; answered with an error frame, the connection stays open. */
final class BadFrame extends RuntimeException {
  final ErrorCode code;
  final ErrorDetail detail;
  final String ref;

  BadFrame(ErrorCode code, ErrorDetail detail, String ref) {
    super(code.wire() + " " + detail, null, false, false);
    this.code = code;
    this.detail = detail;
    this.ref = ref;
  }

  BadFrame(ErrorCode code, ErrorDetail.Rule rule, String subject, String ref) {
    this(code, ErrorDetail.of(rule, subject), ref);
  }
}
