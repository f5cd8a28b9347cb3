package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import java.util.Locale;
import java.util.Set;
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

  /** A push registration is an endpoint URL and two short keys, or a token of up to 4 KiB. */
  private static final long MAX_BODY_BYTES = 8192;

  private final DeviceService devices;
  private final String vapidPublicKey;
  private final Set<PushKind> offeredKinds;

  /**
   * @param offeredKinds the push kinds this server can send (APNs and FCM only when configured); a
   *     registration of another kind is refused
   */
  public DeviceRoutes(DeviceService devices, String vapidPublicKey, Set<PushKind> offeredKinds) {
    this.devices = devices;
    this.vapidPublicKey = vapidPublicKey;
    this.offeredKinds = Set.copyOf(offeredKinds);
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
              return concat(
                  pathEnd(
                      () ->
                          delete(
                              () ->
                                  onSuccess(
                                      devices.logout(userId, deviceId),
                                      done -> complete(StatusCodes.NO_CONTENT)))),
                  path(
                      "push",
                      () ->
                          concat(
                              put(() -> registerPush(userId, deviceId)),
                              delete(
                                  () ->
                                      onSuccess(
                                          devices.unregisterPush(userId, deviceId),
                                          done -> complete(StatusCodes.NO_CONTENT))))));
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

  private PushSubscription subscription(Requests.RegisterPush req) {
    PushKind kind = kindOf(req.kind());
    if (!offeredKinds.contains(kind)) {
      throw DomainException.of(ErrorCode.PUSH_KIND_UNAVAILABLE, Rule.PUSH_KIND_OFF, wire(kind));
    }
    var keys = req.keys();
    try {
      if (!kind.hasUrlEndpoint()) {
        if (req.endpoint() != null || keys != null) {
          throw new IllegalArgumentException(
              "an " + wire(kind) + " registration has a `token`, no `endpoint` or `keys`");
        }
        return PushSubscription.of(kind, req.token(), null, null);
      }
      if (req.token() != null) {
        throw new IllegalArgumentException(
            "a " + wire(kind) + " registration has an `endpoint`, no `token`");
      }
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

  private static PushKind kindOf(String wire) {
    if (wire == null) return PushKind.WEB_PUSH;
    return switch (wire) {
      case "web-push" -> PushKind.WEB_PUSH;
      case "unified-push" -> PushKind.UNIFIED_PUSH;
      case "apns" -> PushKind.APNS;
      case "fcm" -> PushKind.FCM;
      default -> throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.PUSH_KIND);
    };
  }

  /** The kind as clients spell it: "web-push", "unified-push", "apns", "fcm". */
  static String wire(PushKind kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static Responses.Device view(UserInbox.DeviceView device) {
    return new Responses.Device(
        device.deviceId(),
        device.online(),
        device.ackedCursor(),
        device.push() == null ? null : wire(device.push()),
        device.client(),
        device.lastSeen());
  }
}
