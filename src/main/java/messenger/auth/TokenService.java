package messenger.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import messenger.storage.SecretFiles;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and verifies the bearer tokens clients present: HS256-signed JWTs carrying the user id as
 * {@code sub}, with issuer, audience, issue time, expiry, a random {@code jti} and a {@code kid}
 * derived from the key.
 *
 * <p>The key is {@code messenger.auth.jwt-secret} if set (at least 32 bytes); otherwise a random
 * 256-bit key generated once and kept in {@code <data-dir>/jwt.key}, so a dev node's tokens survive
 * its restarts. Thread-safe; both operations are cheap enough for a route thread.
 */
public final class TokenService {
  public static final String KEY_FILE_NAME = "jwt.key";
  static final int MIN_KEY_BYTES = 32;
  static final int MAX_CLOCK_SKEW_SECONDS = 5;
  // Far above any token we issue; refuses absurd inputs before parsing them.
  private static final int MAX_TOKEN_CHARS = 4096;

  /** A freshly signed token and what it stands for. */
  public record IssuedToken(String token, String userId, Instant expiresAt) {}

  private final AuthSettings settings;
  private final Clock clock;
  private final String keyId;
  private final MACSigner signer;
  private final DefaultJWTProcessor<SecurityContext> processor;

  public TokenService(byte[] key, AuthSettings settings) {
    this(key, settings, Clock.systemUTC());
  }

  public TokenService(byte[] key, AuthSettings settings, Clock clock) {
    if (key == null || key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "the token signing key must be at least "
              + MIN_KEY_BYTES
              + " bytes (256 bits) for HS256, got "
              + (key == null ? 0 : key.length));
    }
    this.settings = settings;
    this.clock = clock;
    byte[] keyCopy = Arrays.copyOf(key, key.length);
    this.keyId = keyIdOf(keyCopy);
    try {
      this.signer = new MACSigner(keyCopy);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable token signing key: " + e.getMessage(), e);
    }
    this.processor = newProcessor(keyCopy);
  }

  /** The key from the settings' secret, or the one kept in (or first written to) the data dir. */
  public static TokenService create(AuthSettings settings) {
    return create(settings, Clock.systemUTC());
  }

  public static TokenService create(AuthSettings settings, Clock clock) {
    return new TokenService(loadKey(settings), settings, clock);
  }

  /** Signs a token for {@code userId}, valid for {@code messenger.auth.token-ttl}. */
  public IssuedToken issue(String userId) {
    if (userId == null || userId.isBlank()) {
      throw new IllegalArgumentException("userId must not be empty");
    }
    // JWT times are whole seconds; truncate so expiresAt is exactly the exp claim.
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = now.plus(settings.tokenTtl());
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(userId)
            .issuer(settings.issuer())
            .audience(settings.audience())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expiresAt))
            .jwtID(UUID.randomUUID().toString())
            .build();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(keyId).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign a token", e);
    }
    return new IssuedToken(jwt.serialize(), userId, expiresAt);
  }

  /**
   * The user id if {@code token} is an HS256 JWT signed with this key, from this issuer, for this
   * audience and not expired (allowing {@value #MAX_CLOCK_SKEW_SECONDS} s of clock skew); empty
   * otherwise, whatever is wrong with it.
   */
  public Optional<String> verify(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    try {
      JWTClaimsSet claims = processor.process(token, null);
      String subject = claims.getSubject();
      return subject == null || subject.isBlank() ? Optional.empty() : Optional.of(subject);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      return Optional.empty();
    }
  }

  /** The {@code kid} header of tokens this service issues. */
  public String keyId() {
    return keyId;
  }

  private DefaultJWTProcessor<SecurityContext> newProcessor(byte[] key) {
    OctetSequenceKey jwk =
        new OctetSequenceKey.Builder(key)
            .keyID(keyId)
            .algorithm(JWSAlgorithm.HS256)
            .keyUse(KeyUse.SIGNATURE)
            .build();
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
    // Only HS256 with exactly this key (matched by kid); "none" and other algorithms are refused.
    p.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.HS256, new ImmutableJWKSet<>(new JWKSet(jwk))));
    DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier =
        new DefaultJWTClaimsVerifier<>(
            settings.audience(),
            new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
            Set.of("sub", "iss", "aud", "iat", "exp", "jti")) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        };
    claimsVerifier.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
    p.setJWTClaimsSetVerifier(claimsVerifier);
    return p;
  }

  private static String keyIdOf(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return Base64URL.encode(Arrays.copyOf(digest, 12)).toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static byte[] loadKey(AuthSettings settings) {
    if (!settings.jwtSecret().isEmpty()) {
      byte[] secret = settings.jwtSecret().getBytes(StandardCharsets.UTF_8);
      if (secret.length < MIN_KEY_BYTES) {
        throw new IllegalArgumentException(
            "messenger.auth.jwt-secret (env MESSENGER_JWT_SECRET) must be at least "
                + MIN_KEY_BYTES
                + " bytes, got "
                + secret.length
                + "; unset it to have a random key generated in "
                + settings.dataDir().resolve(KEY_FILE_NAME));
      }
      return secret;
    }
    return readOrCreateKeyFile(settings.dataDir().resolve(KEY_FILE_NAME));
  }

  private static byte[] readOrCreateKeyFile(Path file) {
    try {
      if (!Files.exists(file)) {
        writeNewKeyFile(file);
      }
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      byte[] key;
      try {
        key = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            file + " is not base64; delete it to generate a new key", e);
      }
      if (key.length < MIN_KEY_BYTES) {
        throw new IllegalStateException(
            file
                + " holds fewer than "
                + MIN_KEY_BYTES
                + " bytes; delete it to generate a new key");
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or create the token key " + file, e);
    }
  }

  private static void writeNewKeyFile(Path file) throws IOException {
    byte[] key = new byte[MIN_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    SecretFiles.writeOnce(file, Base64.getEncoder().encodeToString(key) + "\n");
  }
}
