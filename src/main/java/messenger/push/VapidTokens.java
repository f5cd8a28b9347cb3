package messenger.push;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code Authorization: vapid t=<JWT>, k=<public key>} header of RFC 8292: an ES256 JWT with
 * the push service's origin as {@code aud}, an {@code exp} {@value #LIFETIME_HOURS} h ahead (the
 * RFC allows at most 24 h) and the operator's contact as {@code sub}. Each audience's token is
 * reused until an hour before it expires, so signing costs nothing per push. Thread-safe.
 */
final class VapidTokens {
  static final long LIFETIME_HOURS = 12;
  private static final Duration LIFETIME = Duration.ofHours(LIFETIME_HOURS);
  private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofHours(1);
  // Endpoints are user-supplied, so their origins are too: bound the cache.
  private static final int MAX_AUDIENCES = 1000;

  private record Token(String header, Instant renewAt) {}

  private final VapidKeys keys;
  private final String subject;
  private final Clock clock;
  private final ECDSASigner signer;
  private final ConcurrentHashMap<String, Token> byAudience = new ConcurrentHashMap<>();

  VapidTokens(VapidKeys keys, String subject, Clock clock) {
    this.keys = keys;
    this.subject = subject;
    this.clock = clock;
    try {
      this.signer = new ECDSASigner(keys.privateKey());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable VAPID private key: " + e.getMessage(), e);
    }
  }

  /** The {@code Authorization} header value for a push to {@code endpoint}. */
  String authorization(URI endpoint) {
    String audience = audienceOf(endpoint);
    Instant now = clock.instant();
    Token token = byAudience.get(audience);
    if (token == null || !now.isBefore(token.renewAt())) {
      if (byAudience.size() >= MAX_AUDIENCES) byAudience.clear();
      token = sign(audience, now);
      byAudience.put(audience, token);
    }
    return token.header();
  }

  /** The origin of a URL as RFC 6454 serialises it: scheme, host and any non-default port. */
  static String audienceOf(URI endpoint) {
    String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
    int port = endpoint.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("https") && port == 443)
            || (scheme.equals("http") && port == 80);
    return scheme
        + "://"
        + endpoint.getHost().toLowerCase(Locale.ROOT)
        + (defaultPort ? "" : ":" + port);
  }

  private Token sign(String audience, Instant now) {
    // JWT times are whole seconds.
    Instant expiresAt = now.truncatedTo(ChronoUnit.SECONDS).plus(LIFETIME);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .audience(audience)
            .expirationTime(Date.from(expiresAt))
            .subject(subject)
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign a VAPID token", e);
    }
    String header = "vapid t=" + jwt.serialize() + ", k=" + keys.publicKeyBase64Url();
    return new Token(header, expiresAt.minus(RENEW_BEFORE_EXPIRY));
  }
}
