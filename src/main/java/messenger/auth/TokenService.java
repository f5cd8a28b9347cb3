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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import messenger.storage.SecretFiles;

/**
 * Issues and verifies the bearer tokens clients present: HS256-signed JWTs carrying the user id as
 * {@code sub}, with issuer, audience, issue time, expiry, a random {@code jti}, the user's token
 * generation ({@code gen}, see {@link TokenLedger}) and a {@code kid} derived from the key.
 *
 * <p>The signing key is {@code messenger.auth.jwt-secret} if set (at least 32 bytes); otherwise a
 * random 256-bit key generated once and kept in {@code <data-dir>/jwt.key}, so a dev node's tokens
 * survive its restarts. Tokens signed by one of {@code jwt-previous-secrets} still verify, picked
 * by their {@code kid}; a token whose {@code kid} names no known key is refused. Whether a valid
 * token was revoked is not decided here but by {@link Revocations}. Thread-safe; both operations
 * are cheap enough for a route thread.
 */
public final class TokenService {
  public static final String KEY_FILE_NAME = "jwt.key";
  static final int MIN_KEY_BYTES = 32;
  static final int MAX_CLOCK_SKEW_SECONDS = 5;
  // Far above any token we issue; refuses absurd inputs before parsing them.
  private static final int MAX_TOKEN_CHARS = 4096;

  /** A private claim: the user's token generation when the token was issued. */
  static final String GENERATION_CLAIM = "gen";

  /** A freshly signed token and what it stands for. */
  public record IssuedToken(String token, String userId, Instant expiresAt) {}

  /**
   * What a correctly signed, unexpired token says.
   *
   * @param generation the user's token generation at issue; tokens from before this claim count 0
   */
  public record Verified(String userId, String tokenId, int generation, Instant expiresAt) {}

  private final AuthSettings settings;
  private final Clock clock;
  private final String keyId;
  private final MACSigner signer;
  private final DefaultJWTProcessor<SecurityContext> processor;

  public TokenService(byte[] key, AuthSettings settings) {
    this(key, settings, Clock.systemUTC());
  }

  public TokenService(byte[] key, AuthSettings settings, Clock clock) {
    this(key, List.of(), settings, clock);
  }

  /**
   * @param previousKeys keys that signed tokens before {@code key}: verified, never used to sign
   */
  public TokenService(byte[] key, List<byte[]> previousKeys, AuthSettings settings, Clock clock) {
    requireLongEnough(key, "the token signing key");
    previousKeys.forEach(previous -> requireLongEnough(previous, "a previous token key"));
    this.settings = settings;
    this.clock = clock;
    byte[] keyCopy = Arrays.copyOf(key, key.length);
    this.keyId = keyIdOf(keyCopy);
    try {
      this.signer = new MACSigner(keyCopy);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable token signing key: " + e.getMessage(), e);
    }
    List<byte[]> verificationKeys = new ArrayList<>();
    verificationKeys.add(keyCopy);
    previousKeys.forEach(
        previous -> verificationKeys.add(Arrays.copyOf(previous, previous.length)));
    this.processor = newProcessor(verificationKeys);
  }

  private static void requireLongEnough(byte[] key, String what) {
    if (key == null || key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          what
              + " must be at least "
              + MIN_KEY_BYTES
              + " bytes (256 bits) for HS256, got "
              + (key == null ? 0 : key.length));
    }
  }

  /** The key from the settings' secret, or the one kept in (or first written to) the data dir. */
  public static TokenService create(AuthSettings settings) {
    return create(settings, Clock.systemUTC());
  }

  public static TokenService create(AuthSettings settings, Clock clock) {
    List<byte[]> previous =
        settings.previousSecrets().stream()
            .map(secret -> secret.getBytes(StandardCharsets.UTF_8))
            .toList();
    return new TokenService(loadKey(settings), previous, settings, clock);
  }

  /**
   * A key for another {@code purpose} (e.g. invite links), derived from the signing key with
   * HMAC-SHA256: what it signs never verifies here, and a new signing key changes it too.
   */
  public byte[] derivedKey(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(signer.getSecret(), "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }

  /** Signs a token of generation 0 for {@code userId}: a user who never revoked all tokens. */
  public IssuedToken issue(String userId) {
    return issue(userId, 0);
  }

  /**
   * Signs a token for {@code userId} in the user's current token {@code generation}, valid for
   * {@code messenger.auth.token-ttl}.
   */
  public IssuedToken issue(String userId, int generation) {
    if (userId == null || userId.isBlank()) {
      throw new IllegalArgumentException("userId must not be empty");
    }
    if (generation < 0) {
      throw new IllegalArgumentException("generation must not be negative: " + generation);
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
            .claim(GENERATION_CLAIM, generation)
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

  /** The user id of {@link #check(String)}. */
  public Optional<String> verify(String token) {
    return check(token).map(Verified::userId);
  }

  /**
   * What {@code token} says if it is an HS256 JWT signed with the current or a previous key, from
   * this issuer, for this audience and not expired (allowing {@value #MAX_CLOCK_SKEW_SECONDS} s of
   * clock skew); empty otherwise, whatever is wrong with it.
   */
  public Optional<Verified> check(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    try {
      JWTClaimsSet claims = processor.process(token, null);
      String subject = claims.getSubject();
      if (subject == null || subject.isBlank()) return Optional.empty();
      Long generation = claims.getLongClaim(GENERATION_CLAIM);
      if (generation != null && (generation < 0 || generation > Integer.MAX_VALUE)) {
        return Optional.empty();
      }
      return Optional.of(
          new Verified(
              subject,
              claims.getJWTID(),
              generation == null ? 0 : generation.intValue(),
              claims.getExpirationTime().toInstant()));
    } catch (ParseException | BadJOSEException | JOSEException e) {
      return Optional.empty();
    }
  }

  /** The {@code kid} header of tokens this service issues. */
  public String keyId() {
    return keyId;
  }

  private DefaultJWTProcessor<SecurityContext> newProcessor(List<byte[]> keys) {
    List<com.nimbusds.jose.jwk.JWK> jwks = new ArrayList<>();
    for (byte[] key : keys) {
      jwks.add(
          new OctetSequenceKey.Builder(key)
              .keyID(keyIdOf(key))
              .algorithm(JWSAlgorithm.HS256)
              .keyUse(KeyUse.SIGNATURE)
              .build());
    }
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
    // Only HS256 with one of these keys, matched by kid; "none" and other algorithms are refused.
    p.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.HS256, new ImmutableJWKSet<>(new JWKSet(jwks))));
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
