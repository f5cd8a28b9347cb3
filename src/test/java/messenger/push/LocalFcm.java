package messenger.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * FCM on a free loopback HTTPS port ({@link LocalTls}), checking what Google checks: the OAuth JWT
 * bearer grant at {@code /token} (RS256 signature by the service account's key, {@code iss}, {@code
 * aud} Google's token URI, the messaging scope, not expired) and, at the v1 send URL, a bearer
 * token it issued, the project, a registration token it knows (unknown: 404 {@code UNREGISTERED};
 * not of the token form: 400 {@code INVALID_ARGUMENT} on {@code message.token}) and string-only
 * {@code data}. Tests can script the next answers (429, 503, with {@code Retry-After}).
 */
final class LocalFcm implements AutoCloseable {
  static final String PROJECT = "messenger-test";
  static final String CLIENT_EMAIL = "push@messenger-test.iam.gserviceaccount.com";
  static final String GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN_FORM = Pattern.compile("[A-Za-z0-9_:-]{20,}");

  /** A send the server accepted: the request body and the token it carried. */
  record Received(JsonNode body) {
    JsonNode message() {
      return body.path("message");
    }
  }

  record Answer(int status, String body, String retryAfter) {}

  private final HttpsServer server;
  final Path serviceAccountFile;
  final Path trustedCertificates;
  private final RSAPublicKey accountKey;
  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Answer> scripted = new ConcurrentLinkedQueue<>();
  private final Map<String, BlockingQueue<Received>> accepted = new ConcurrentHashMap<>();
  final AtomicInteger tokenRequests = new AtomicInteger();
  final AtomicInteger sendRequests = new AtomicInteger();

  private LocalFcm(Path dir) throws Exception {
    LocalTls tls = LocalTls.create(dir.resolve("fcm-tls"));
    trustedCertificates = tls.certificatePem;
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair account = generator.generateKeyPair();
    accountKey = (RSAPublicKey) account.getPublic();

    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    server.createContext("/token", this::onToken);
    server.createContext("/v1/projects/", this::onSend);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();

    ObjectNode json = JSON.createObjectNode();
    json.put("type", "service_account");
    json.put("project_id", PROJECT);
    json.put("private_key_id", "key-1");
    json.put("private_key", LocalTls.pkcs8Pem(account.getPrivate()));
    json.put("client_email", CLIENT_EMAIL);
    json.put("client_id", "1234567890");
    json.put("token_uri", tokenUri());
    serviceAccountFile = dir.resolve("service-account.json");
    Files.writeString(serviceAccountFile, JSON.writeValueAsString(json));
  }

  static LocalFcm start(Path dir) throws Exception {
    return new LocalFcm(dir);
  }

  String base() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  private String tokenUri() {
    return base() + "/token";
  }

  FcmSettings settings(boolean highPriority) {
    return new FcmSettings(
        serviceAccountFile.toString(), "", base(), trustedCertificates.toString(), highPriority);
  }

  /** A registration token the server knows, as an app would get from Firebase. */
  String newRegistrationToken() {
    String token = "dev-" + UUID.randomUUID() + ":APA91b" + UUID.randomUUID().toString();
    token = token.replace("-", "_");
    registered.add(token);
    return token;
  }

  /** From now on sends to {@code token} are answered 404 UNREGISTERED. */
  void unregister(String token) {
    registered.remove(token);
  }

  /**
   * The next send is answered with this error, after the bearer token was checked.
   *
   * @param badField the field a 400 blames, or null
   * @param retryAfter the {@code Retry-After} header, or null
   */
  void answerNext(int status, String errorStatus, String badField, String retryAfter) {
    scripted.add(new Answer(status, error(status, errorStatus, null, badField), retryAfter));
  }

  /** Access tokens issued so far stop being accepted (as if they expired early). */
  void revokeAccessTokens() {
    issued.clear();
  }

  /** The next send the server accepted for {@code token}. */
  Received take(String token) throws InterruptedException {
    Received r = queue(token).poll(20, TimeUnit.SECONDS);
    if (r == null) throw new AssertionError("no send reached the FCM server for " + token);
    return r;
  }

  private BlockingQueue<Received> queue(String token) {
    return accepted.computeIfAbsent(token, t -> new LinkedBlockingQueue<>());
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void onToken(HttpExchange exchange) throws IOException {
    tokenRequests.incrementAndGet();
    try (exchange) {
      Map<String, String> form =
          form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String problem = checkGrant(form);
      if (problem != null) {
        respond(
            exchange,
            400,
            "{\"error\":\"invalid_grant\",\"error_description\":\"" + problem + "\"}");
        return;
      }
      String token = "ya29." + UUID.randomUUID();
      issued.add(token);
      respond(
          exchange,
          200,
          "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }
  }

  private String checkGrant(Map<String, String> form) {
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
      return "grant_type";
    }
    try {
      SignedJWT jwt = SignedJWT.parse(form.get("assertion"));
      if (!jwt.verify(new RSASSAVerifier(accountKey))) return "signature";
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (!CLIENT_EMAIL.equals(claims.getIssuer())) return "iss";
      // Google checks its own token URI as the audience, wherever the grant is posted.
      if (!claims.getAudience().contains(GOOGLE_TOKEN_AUDIENCE)) {
        return "aud " + claims.getAudience();
      }
      String scope = claims.getStringClaim("scope");
      if (scope == null || !scope.contains(FcmProvider.SCOPE)) return "scope";
      if (claims.getExpirationTime() == null || claims.getExpirationTime().before(new Date())) {
        return "exp";
      }
      return null;
    } catch (Exception e) {
      return "assertion";
    }
  }

  private void onSend(HttpExchange exchange) throws IOException {
    sendRequests.incrementAndGet();
    try (exchange) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ") || !issued.contains(auth.substring(7))) {
        respond(exchange, 401, error(401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", null));
        return;
      }
      if (!exchange.getRequestURI().getPath().equals("/v1/projects/" + PROJECT + "/messages:send")
          || !exchange.getRequestMethod().equals("POST")) {
        respond(exchange, 404, error(404, "NOT_FOUND", null, null));
        return;
      }
      Answer answer = scripted.poll();
      if (answer != null) {
        if (answer.retryAfter() != null) {
          exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        respond(exchange, answer.status(), answer.body());
        return;
      }
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      JsonNode message = body.path("message");
      String token = message.path("token").asText("");
      for (var field :
          (Iterable<Map.Entry<String, JsonNode>>) () -> message.path("data").fields()) {
        if (!field.getValue().isTextual()) {
          respond(exchange, 400, error(400, "INVALID_ARGUMENT", null, "message.data"));
          return;
        }
      }
      if (!TOKEN_FORM.matcher(token).matches()) {
        respond(exchange, 400, error(400, "INVALID_ARGUMENT", null, "message.token"));
        return;
      }
      if (!registered.contains(token)) {
        respond(exchange, 404, error(404, "NOT_FOUND", "UNREGISTERED", null));
        return;
      }
      queue(token).add(new Received(body));
      respond(
          exchange,
          200,
          "{\"name\":\"projects/" + PROJECT + "/messages/" + UUID.randomUUID() + "\"}");
    }
  }

  /** An error body as FCM v1 writes it. */
  private static String error(int code, String status, String fcmErrorCode, String badField) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", code);
    error.put("message", status + " (local FCM)");
    error.put("status", status);
    var details = error.putArray("details");
    if (fcmErrorCode != null) {
      details
          .addObject()
          .put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError")
          .put("errorCode", fcmErrorCode);
    }
    if (badField != null) {
      ObjectNode bad = details.addObject();
      bad.put("@type", "type.googleapis.com/google.rpc.BadRequest");
      bad.putArray("fieldViolations")
          .addObject()
          .put("field", badField)
          .put("description", "Invalid value");
    }
    return root.toString();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }
}
