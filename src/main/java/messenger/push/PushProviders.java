package messenger.push;

import java.net.http.HttpClient;
import java.util.Map;

/** The providers a node uses, sharing one HTTP client (connections to push services are reused). */
public final class PushProviders {
  private PushProviders() {}

  /** Web Push signed with {@code keys}, and UnifiedPush. */
  public static Map<PushKind, PushProvider> standard(PushSettings settings, VapidKeys keys) {
    // Redirects are not followed (the default): a push service answers, it does not redirect.
    HttpClient http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
    return Map.of(
        PushKind.WEB_PUSH, WebPushProvider.create(http, keys, settings),
        PushKind.UNIFIED_PUSH, UnifiedPushProvider.create(http, settings));
  }
}
