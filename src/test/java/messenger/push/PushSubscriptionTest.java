package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PushSubscriptionTest {
  private static final String ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc:def";
  private static final String P256DH =
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
  private static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";

  private static void assertRefused(String expectedInMessage, Runnable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
    assertTrue(
        e.getMessage().contains(expectedInMessage),
        "'" + e.getMessage() + "' should mention '" + expectedInMessage + "'");
  }

  @Test
  void aBrowsersSubscriptionIsAccepted() {
    PushSubscription s = PushSubscription.webPush(ENDPOINT, P256DH, AUTH);
    assertEquals(new PushSubscription(PushKind.WEB_PUSH, ENDPOINT, P256DH, AUTH), s);
  }

  @Test
  void aUnifiedPushEndpointNeedsNoKeys() {
    PushSubscription s = PushSubscription.unifiedPush("https://ntfy.sh/upABC?up=1");
    assertNull(s.p256dh());
    assertNull(s.auth());
  }

  @Test
  void theEndpointMustBeAnAbsoluteHttpUrl() {
    assertRefused("endpoint is required", () -> PushSubscription.webPush(" ", P256DH, AUTH));
    assertRefused("absolute http", () -> PushSubscription.webPush("/push/1", P256DH, AUTH));
    assertRefused("absolute http", () -> PushSubscription.webPush("ftp://x/1", P256DH, AUTH));
    assertRefused("not a URL", () -> PushSubscription.webPush("https://x y/", P256DH, AUTH));
    assertRefused("no host", () -> PushSubscription.webPush("https:///path", P256DH, AUTH));
    assertRefused(
        "longer than", () -> PushSubscription.unifiedPush("https://x/" + "a".repeat(3000)));
  }

  @Test
  void p256dhMustBeAnUncompressedPointOnTheCurve() {
    byte[] point = P256.decodeBase64Url(P256DH, "p");
    byte[] compressed = Arrays.copyOf(point, 33);
    compressed[0] = 0x02;
    byte[] offCurve = point.clone();
    offCurve[64] ^= 1;

    assertRefused(
        "65 bytes", () -> PushSubscription.webPush(ENDPOINT, P256.base64Url(compressed), AUTH));
    assertRefused(
        "not on the P-256 curve",
        () -> PushSubscription.webPush(ENDPOINT, P256.base64Url(offCurve), AUTH));
    assertRefused("base64url", () -> PushSubscription.webPush(ENDPOINT, "BCV+/=?", AUTH));
  }

  @Test
  void authMustBe16Bytes() {
    assertRefused(
        "16 bytes, got 15",
        () -> PushSubscription.webPush(ENDPOINT, P256DH, P256.base64Url(new byte[15])));
  }

  @Test
  void webPushNeedsBothKeysAndUnifiedPushTakesNone() {
    assertRefused("p256dh and keys.auth", () -> PushSubscription.webPush(ENDPOINT, P256DH, null));
    assertRefused(
        "takes no keys", () -> PushSubscription.of(PushKind.UNIFIED_PUSH, ENDPOINT, P256DH, AUTH));
    assertRefused("kind", () -> PushSubscription.of(null, ENDPOINT, null, null));
  }

  @Test
  void anApnsDeviceTokenIsHexOfAtLeast32BytesStoredInLowerCase() {
    String token = "AB".repeat(32);
    PushSubscription s = PushSubscription.of(PushKind.APNS, token, null, null);
    assertEquals(PushKind.APNS, s.kind());
    assertEquals("ab".repeat(32), s.endpoint());
    assertEquals(s, PushSubscription.apns("ab".repeat(32)), "the same token is the same");
    assertRefused("hex", () -> PushSubscription.apns("zz".repeat(32)));
    assertRefused("hex", () -> PushSubscription.apns("ab".repeat(16)));
    assertRefused("hex", () -> PushSubscription.apns("a".repeat(65)));
    assertRefused("hex", () -> PushSubscription.apns("ab".repeat(101)));
    assertRefused("token is required", () -> PushSubscription.apns(" "));
    assertRefused("no keys", () -> PushSubscription.of(PushKind.APNS, token, "k", "a"));
  }

  @Test
  void anFcmRegistrationTokenIsUpTo4096TokenCharacters() {
    String token = "dXJ3:APA91bH_x-y.z";
    assertEquals(token, PushSubscription.fcm(token).endpoint());
    assertRefused("FCM registration token", () -> PushSubscription.fcm("has space"));
    assertRefused("FCM registration token", () -> PushSubscription.fcm("a/b"));
    assertRefused("FCM registration token", () -> PushSubscription.fcm("a".repeat(4097)));
    assertRefused("token is required", () -> PushSubscription.fcm(null));
  }
}
