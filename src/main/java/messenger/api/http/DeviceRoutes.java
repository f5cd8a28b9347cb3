package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import java.util.Locale;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail.Rule;
import messenger.api.BodyRules;
import messenger.api.http.dto.Requests;
import messenger.api.http.dto.Responses;
import messenger.app.DeviceService;
import messenger.delivery.PushRegistration;
import messenger.delivery.UserInbox;
import messenger.push.PushKind;
import messenger.push.PushSubscription;

/**
 * {@code /api/v1/devices} (a user's devices and their push endpoints) and {@code
 * /api/v1/push/vapid-public-key}, for an already authenticated user.
 */
public final class DeviceRoutes extends AllDirectives {

  /** A push registration is an endpoint URL and two short keys. */
  private static final long MAX_BODY_BYTES = 8192;

  private final DeviceService devices;
  private final String vapidPublicKey;

  public DeviceRoutes(DeviceService devices, String vapidPublicKey) {
    this.devices = devices;
    this.vapidPublicKey = vapidPublicKey;
  }

  public Route devices(String userId) {
    return concat(
        pathEnd(() -> get(() -> list(userId))),
        pathPrefix(
            PathMatchers.segment(),
            deviceId -> {
              if (!BodyRules.isValidDeviceId(deviceId)) {
                throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.DEVICE_ID, "deviceId");
              }
              return path(
                  "push",
                  () ->
                      concat(
                          put(() -> registerPush(userId, deviceId)),
                          delete(
                              () ->
                                  onSuccess(
                                      devices.unregisterPush(userId, deviceId),
                                      done -> complete(StatusCodes.NO_CONTENT)))));
            }));
  }

  public Route vapidKey() {
    return path(
        "vapid-public-key",
        () ->
            get(
                () ->
                    complete(
                        StatusCodes.OK, new Responses.VapidKey(vapidPublicKey), Json.MARSHALLER)));
  }

  private Route list(String userId) {
    return onSuccess(
        devices.list(userId),
        list ->
            complete(
                StatusCodes.OK,
                new Responses.DeviceList(list.stream().map(DeviceRoutes::view).toList()),
                Json.MARSHALLER));
  }

  private Route registerPush(String userId, String deviceId) {
    return withSizeLimit(
        MAX_BODY_BYTES,
        () ->
            entity(
                Unmarshaller.entityToString(),
                body -> {
                  var req = Json.read(body, Requests.RegisterPush.class);
                  var registration =
                      new PushRegistration(
                          subscription(req), req.previews() == null || req.previews());
                  return onSuccess(
                      devices.registerPush(userId, deviceId, registration),
                      done -> complete(StatusCodes.NO_CONTENT));
                }));
  }

  private static PushSubscription subscription(Requests.RegisterPush req) {
    PushKind kind;
    if (req.kind() == null || req.kind().equals("web-push")) kind = PushKind.WEB_PUSH;
    else if (req.kind().equals("unified-push")) kind = PushKind.UNIFIED_PUSH;
    else throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.PUSH_KIND);
    var keys = req.keys();
    try {
      return PushSubscription.of(
          kind,
          req.endpoint(),
          keys == null ? null : keys.p256dh(),
          keys == null ? null : keys.auth());
    } catch (IllegalArgumentException e) {
      // The subscription's rules word their own refusals (which field, which form).
      throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.TEXT_RULE, e.getMessage());
    }
  }

  private static Responses.Device view(UserInbox.DeviceView device) {
    return new Responses.Device(
        device.deviceId(),
        device.online(),
        device.ackedCursor(),
        device.push() == null
            ? null
            : device.push().name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }
}
