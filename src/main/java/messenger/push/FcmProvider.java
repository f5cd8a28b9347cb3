package messenger.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pushes to Android apps through Firebase Cloud Messaging's HTTP v1 API: {@code POST
 * /v1/projects/{project}/messages:send} with a bearer token of the service account (OAuth 2 JWT
 * bearer grant at the account's {@code token_uri}, through google-auth-library, which caches the
 * token and fetches a new one before it expires). The body is {@link NativePayloads#fcm}.
 *
 * <p>Fetching a token blocks, so it runs on {@code blocking}; the send itself is the JDK's async
 * HTTP client.
 */
public final class FcmProvider implements PushProvider {
  static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

  /** FCM's error bodies name the wrong field in their details; read enough to see it. */
  static final int MAX_ANSWER_BYTES = 16 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final GoogleCredentials credentials;
  private final URI sendUri;
  private final boolean highPriority;
  private final Duration requestTimeout;
  private final Executor blocking;
  private final Clock clock;

  /** Set when FCM refused our token: the next send fetches a new one first. */
  private final AtomicBoolean tokenRefused = new AtomicBoolean();

  FcmProvider(
      HttpClient http,
      GoogleCredentials credentials,
      URI sendUri,
      boolean highPriority,
      Duration requestTimeout,
      Executor blocking,
      Clock clock) {
    this.http = http;
    this.credentials = credentials;
    this.sendUri = sendUri;
    this.highPriority = highPriority;
    this.requestTimeout = requestTimeout;
    this.blocking = blocking;
    this.clock = clock;
  }

  /**
   * A provider for {@code settings}: reads the service account (no request is made yet).
   *
   * @param blocking where the token exchange (blocking I/O) runs
   * @throws IllegalStateException if the service account or the certificates cannot be read
   */
  public static FcmProvider create(
      FcmSettings settings, Duration requestTimeout, Executor blocking) {
    try {
      KeyStore trusted =
          settings.trustedCertificates().isEmpty()
              ? null
              : TrustedCertificates.load(Path.of(settings.trustedCertificates()));
      HttpTransport transport =
          trusted == null
              ? new NetHttpTransport()
              : new NetHttpTransport.Builder().trustCertificates(trusted).build();
      ServiceAccountCredentials account;
      try (InputStream in = Files.newInputStream(Path.of(settings.serviceAccountFile()))) {
        account = ServiceAccountCredentials.fromStream(in, () -> transport);
      }
      String project =
          settings.projectId().isEmpty() ? account.getProjectId() : settings.projectId();
      if (project == null || project.isEmpty()) {
        throw new IllegalStateException(
            "messenger.push.fcm.project-id is empty and the service account names no project_id");
      }
      HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(requestTimeout);
      if (trusted != null) http.sslContext(TrustedCertificates.sslContext(trusted));
      return new FcmProvider(
          http.build(),
          account.createScoped(List.of(SCOPE)),
          settings.sendUri(project),
          settings.highPriority(),
          requestTimeout,
          blocking,
          Clock.systemUTC());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "messenger.push.fcm: could not read the service account "
              + settings.serviceAccountFile()
              + " or the trusted certificates: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public CompletionStage<PushOutcome> send(
      PushSubscription subscription, Notification notification, String collapseKey, Duration ttl) {
    if (subscription.kind() != PushKind.FCM) {
      return CompletableFuture.completedFuture(
          new PushOutcome.Rejected(0, "not an FCM subscription"));
    }
    String body =
        NativePayloads.fcm(
            subscription.endpoint(), notification, collapseKey, ttl, highPriority, clock.instant());
    return CompletableFuture.supplyAsync(this::accessToken, blocking)
        .thenCompose(
            token ->
                PushHttp.exchange(http, request(token, body), MAX_ANSWER_BYTES)
                    .thenApply(this::outcomeOf))
        .exceptionally(error -> new PushOutcome.Failed(PushHttp.cause(error)));
  }

  private HttpRequest request(String token, String body) {
    return HttpRequest.newBuilder(sendUri)
        .timeout(requestTimeout)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json; charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private String accessToken() {
    try {
      if (tokenRefused.getAndSet(false)) credentials.refresh();
      else credentials.refreshIfExpired();
      AccessToken token = credentials.getAccessToken();
      if (token == null) throw new IOException("the token endpoint gave no access token");
      return token.getTokenValue();
    } catch (IOException e) {
      throw new UncheckedIOException("could not get an FCM access token: " + e.getMessage(), e);
    }
  }

  private PushOutcome outcomeOf(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status == 401) tokenRefused.set(true);
    return outcomeOf(
        status,
        PushHttp.retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock),
        response.body());
  }

  /**
   * FCM's answer as an outcome. The token is dropped, as a Web Push 410 drops an endpoint, on 404
   * ({@code UNREGISTERED}: the app was removed or the token renewed) and on 400 {@code
   * INVALID_ARGUMENT} when the field at fault is {@code message.token} (not a registration token).
   * 401 (our access token was refused; a new one is fetched), 429 {@code QUOTA_EXCEEDED} and 5xx
   * are retried, honouring {@code Retry-After}. Anything else, 403 {@code SENDER_ID_MISMATCH}
   * included (the token belongs to another project: more likely a wrong configuration than a wrong
   * token, so tokens are kept), is logged and not retried.
   */
  static PushOutcome outcomeOf(int status, Duration retryAfter, String body) {
    if (status >= 200 && status < 300) return new PushOutcome.Delivered();
    if (status == 404) return new PushOutcome.Gone(status);
    if (status == 400 && namesTheToken(body)) return new PushOutcome.Gone(status);
    if (status == 401 || status == 429 || status >= 500) {
      return new PushOutcome.RetryLater(retryAfter, status);
    }
    return new PushOutcome.Rejected(status, errorMessage(body));
  }

  /** Whether a 400's {@code error.details[].fieldViolations[].field} is {@code message.token}. */
  static boolean namesTheToken(String body) {
    JsonNode error = parse(body).path("error");
    for (JsonNode detail : error.path("details")) {
      for (JsonNode violation : detail.path("fieldViolations")) {
        if ("message.token".equals(violation.path("field").asText())) return true;
      }
    }
    return false;
  }

  private static String errorMessage(String body) {
    JsonNode error = parse(body).path("error");
    String message = error.path("status").asText("") + " " + error.path("message").asText("");
    return message.isBlank() ? body : message.strip();
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }
}
