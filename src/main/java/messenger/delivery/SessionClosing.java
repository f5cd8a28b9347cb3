package messenger.delivery;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import messenger.ErrorCode;
import messenger.delivery.Session.Command;
import org.slf4j.Logger;

/**
 * Each way the server ends a {@link Session}: the reason is logged, counted in the {@link
 * DeliveryEvents} and told to the client as its last frame, and the session stops. (A reader too
 * slow for its live pushes is aborted by {@link Outgoing} instead.)
 */
final class SessionClosing {

  private final String userId;
  private final String deviceId;
  private final Credential credential;
  private final Outgoing out;
  private final DeliveryEvents events;
  private final Logger log;

  SessionClosing(
      String userId,
      String deviceId,
      Credential credential,
      Outgoing out,
      DeliveryEvents events,
      Logger log) {
    this.userId = userId;
    this.deviceId = deviceId;
    this.credential = credential;
    this.out = out;
    this.events = events;
    this.log = log;
  }

  /** Nothing came from the client for longer than the connection timeout. */
  Behavior<Command> silent(Duration silence) {
    log.info("Closing {}/{}: nothing heard for {}", userId, deviceId, silence);
    return closeWith(ErrorCode.HEARTBEAT_TIMEOUT);
  }

  /** The inbox passed on a revocation: it ends this connection if it covers its token. */
  Behavior<Command> revokedBy(DeviceMessage.Revoked revoked) {
    return credential.isRevokedBy(revoked) ? revoked() : Behaviors.same();
  }

  Behavior<Command> revoked() {
    log.info("Closing {}/{}: its token was revoked", userId, deviceId);
    return closeWith(ErrorCode.UNAUTHORIZED);
  }

  /** The user has as many devices connected as allowed. */
  Behavior<Command> refused(ConnectReply.Refused refused) {
    events.refused(ErrorCode.DEVICE_LIMIT);
    out.closeWith(ErrorCode.DEVICE_LIMIT);
    return Behaviors.stopped();
  }

  Behavior<Command> replaced() {
    log.info("Closing {}/{}: replaced by a newer connection", userId, deviceId);
    return closeWith(ErrorCode.REPLACED);
  }

  Behavior<Command> closeWith(ErrorCode code) {
    events.closed(code);
    out.closeWith(code);
    return Behaviors.stopped();
  }
}
