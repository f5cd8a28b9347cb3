package messenger.push;

import java.net.http.HttpClient;
import java.util.Map;

/** The providers a node uses, sharing one HTTP client (connections to push services are reused). */
public final class PushProviders {
  private PushProviders() {}

  /** Web Push signed with {@code keys}, and UnifiedPush, to any endpoint. */
  public static Map<PushKind, PushProvider> standard(PushSettings settings, VapidKeys keys) {
    // Redirects are not followed (the default): a push service answers, it does not redirect, and
    // a redirect could lead past the endpoint guard.
    HttpClient http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
    return Map.of(
        PushKind.WEB_PUSH, WebPushProvider.create(http, keys, settings),
        PushKind.UNIFIED_PUSH, UnifiedPushProvider.create(http, settings));
  }

  /** As {@link #standard(PushSettings, VapidKeys)}, sending only where {@code guard} allows. */
  public static Map<PushKind, PushProvider> guarded(
      PushSettings settings, VapidKeys keys, EndpointGuard guard) {
    Map<PushKind, PushProvider> guarded = new java.util.EnumMap<>(PushKind.class);
    standard(settings, keys)
        .forEach((kind, provider) -> guarded.put(kind, new GuardedProvider(provider, guard)));
    return Map.copyOf(guarded);
  }
}
