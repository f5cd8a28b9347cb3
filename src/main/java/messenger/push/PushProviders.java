package messenger.push;

import java.net.http.HttpClient;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

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

  /**
   * As {@link #standard(PushSettings, VapidKeys)}, sending only where {@code guard} allows. Only
   * the kinds whose endpoints users choose are guarded: APNs and FCM go to the hosts the operator
   * configured.
   */
  public static Map<PushKind, PushProvider> guarded(
      PushSettings settings, VapidKeys keys, EndpointGuard guard) {
    Map<PushKind, PushProvider> guarded = new EnumMap<>(PushKind.class);
    standard(settings, keys)
        .forEach((kind, provider) -> guarded.put(kind, new GuardedProvider(provider, guard)));
    return Map.copyOf(guarded);
  }

  /**
   * The kinds devices may register: Web Push and UnifiedPush always, APNs and FCM where configured.
   */
  public static Set<PushKind> offered(PushSettings settings) {
    Set<PushKind> kinds = EnumSet.of(PushKind.WEB_PUSH, PushKind.UNIFIED_PUSH);
    if (settings.apns().configured()) kinds.add(PushKind.APNS);
    if (settings.fcm().configured()) kinds.add(PushKind.FCM);
    return Set.copyOf(kinds);
  }

  /**
   * APNs and FCM providers for what is configured (none, one or both).
   *
   * @param blocking where FCM's token exchange (blocking I/O) runs
   * @throws IllegalStateException if a configured key or service account cannot be read
   */
  public static Natives natives(PushSettings settings, Executor blocking) {
    ApnsProvider apns =
        settings.apns().configured()
            ? ApnsProvider.create(settings.apns(), settings.requestTimeout())
            : null;
    FcmProvider fcm =
        settings.fcm().configured()
            ? FcmProvider.create(settings.fcm(), settings.requestTimeout(), blocking)
            : null;
    return new Natives(apns, fcm);
  }

  /** The native providers of a node; APNs holds connections that must be closed on shutdown. */
  public static final class Natives {
    private final ApnsProvider apns;
    private final FcmProvider fcm;

    private Natives(ApnsProvider apns, FcmProvider fcm) {
      this.apns = apns;
      this.fcm = fcm;
    }

    public Map<PushKind, PushProvider> providers() {
      Map<PushKind, PushProvider> providers = new EnumMap<>(PushKind.class);
      if (apns != null) providers.put(PushKind.APNS, apns);
      if (fcm != null) providers.put(PushKind.FCM, fcm);
      return Map.copyOf(providers);
    }

    public CompletableFuture<Void> closeAsync() {
      return apns == null ? CompletableFuture.completedFuture(null) : apns.closeAsync();
    }
  }
}
