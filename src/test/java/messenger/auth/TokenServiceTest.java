package messenger.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {
  private static final Instant T0 = Instant.parse("2025-01-01T12:00:00Z");
  private static final Duration TTL = Duration.ofHours(24);

  @TempDir Path dataDir;

  private AuthSettings settings() {
    return new AuthSettings("", "messenger", "messenger-clients", TTL, dataDir);
  }

  private static byte[] randomKey(int bytes) {
    byte[] key = new byte[bytes];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void anIssuedTokenVerifiesToItsUserId() throws Exception {
    TokenService tokens = new TokenService(randomKey(32), settings(), at(T0));
    TokenService.IssuedToken issued = tokens.issue("user-1");

    assertEquals("user-1", issued.userId());
    assertEquals(T0.plus(TTL), issued.expiresAt());
    assertEquals(Optional.of("user-1"), tokens.verify(issued.token()));

    SignedJWT jwt = SignedJWT.parse(issued.token());
    assertEquals(JWSAlgorithm.HS256, jwt.getHeader().getAlgorithm());
    assertEquals(tokens.keyId(), jwt.getHeader().getKeyID());
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertEquals("messenger", claims.getIssuer());
    assertEquals(java.util.List.of("messenger-clients"), claims.getAudience());
    assertEquals(Date.from(T0), claims.getIssueTime());
    assertEquals(Date.from(T0.plus(TTL)), claims.getExpirationTime());
    assertTrue(claims.getJWTID() != null && !claims.getJWTID().isEmpty());
  }

  @Test
  void twoTokensForTheSameUserHaveDifferentIds() throws Exception {
    TokenService tokens = new TokenService(randomKey(32), settings(), at(T0));
    String first = SignedJWT.parse(tokens.issue("user-1").token()).getJWTClaimsSet().getJWTID();
    String second = SignedJWT.parse(tokens.issue("user-1").token()).getJWTClaimsSet().getJWTID();
    assertFalse(first.equals(second));
  }

  @Test
  void anExpiredTokenIsRefusedButClockSkewIsTolerated() {
    byte[] key = randomKey(32);
    String token = new TokenService(key, settings(), at(T0)).issue("user-1").token();
    Instant expiry = T0.plus(TTL);

    assertEquals(
        Optional.of("user-1"),
        new TokenService(key, settings(), at(expiry.minusSeconds(1))).verify(token));
    assertEquals(
        Optional.of("user-1"),
        new TokenService(key, settings(), at(expiry.plusSeconds(3))).verify(token));
    assertEquals(
        Optional.empty(),
        new TokenService(key, settings(), at(expiry.plusSeconds(10))).verify(token));
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
    TokenService ours = new TokenService(randomKey(32), settings(), at(T0));
    TokenService theirs = new TokenService(randomKey(32), settings(), at(T0));
    assertEquals(Optional.empty(), ours.verify(theirs.issue("user-1").token()));

    // Even when it claims our key id.
    SignedJWT forged =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(JOSEObjectType.JWT)
                .keyID(ours.keyId())
                .build(),
            validClaims("user-1"));
    forged.sign(new MACSigner(randomKey(32)));
    assertEquals(Optional.empty(), ours.verify(forged.serialize()));
  }

  @Test
  void afterARotationTokensOfThePreviousKeyStillVerifyAndNewOnesUseTheNewKey() throws Exception {
    byte[] oldKey = randomKey(32);
    byte[] newKey = randomKey(32);
    TokenService before = new TokenService(oldKey, settings(), at(T0));
    TokenService after = new TokenService(newKey, java.util.List.of(oldKey), settings(), at(T0));
    String oldToken = before.issue("user-1").token();
    String newToken = after.issue("user-2").token();

    assertEquals(Optional.of("user-1"), after.verify(oldToken));
    assertEquals(Optional.of("user-2"), after.verify(newToken));
    assertEquals(after.keyId(), SignedJWT.parse(newToken).getHeader().getKeyID());
    assertFalse(after.keyId().equals(before.keyId()));
    // Once the old key is dropped, its tokens are refused.
    assertEquals(Optional.empty(), new TokenService(newKey, settings(), at(T0)).verify(oldToken));
    // The old key alone does not know the new one.
    assertEquals(Optional.empty(), before.verify(newToken));
  }

  @Test
  void aPreviousKeyThatIsTooShortIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TokenService(randomKey(32), java.util.List.of(randomKey(16)), settings(), at(T0)));
  }

  @Test
  void aTokenCarriesItsIdGenerationAndExpiry() throws Exception {
    TokenService tokens = new TokenService(randomKey(32), settings(), at(T0));
    String token = tokens.issue("user-1", 7).token();
    TokenService.Verified verified = tokens.check(token).orElseThrow();

    assertEquals("user-1", verified.userId());
    assertEquals(7, verified.generation());
    assertEquals(T0.plus(TTL), verified.expiresAt());
    assertEquals(SignedJWT.parse(token).getJWTClaimsSet().getJWTID(), verified.tokenId());
    assertEquals(0, tokens.check(tokens.issue("user-1").token()).orElseThrow().generation());
  }

  @Test
  void aTokenWithoutAGenerationCountsAsTheFirstAndANegativeOneIsRefused() throws Exception {
    byte[] key = randomKey(32);
    TokenService tokens = new TokenService(key, settings(), at(T0));
    SignedJWT legacy =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(JOSEObjectType.JWT)
                .keyID(tokens.keyId())
                .build(),
            validClaims("user-1"));
    legacy.sign(new MACSigner(key));
    assertEquals(0, tokens.check(legacy.serialize()).orElseThrow().generation());

    SignedJWT negative =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(JOSEObjectType.JWT)
                .keyID(tokens.keyId())
                .build(),
            new JWTClaimsSet.Builder(validClaims("user-1")).claim("gen", -1).build());
    negative.sign(new MACSigner(key));
    assertEquals(Optional.empty(), tokens.check(negative.serialize()));
  }

  @Test
  void aTokenForAnotherAudienceOrIssuerIsRefused() {
    byte[] key = randomKey(32);
    TokenService ours = new TokenService(key, settings(), at(T0));
    TokenService otherAudience =
        new TokenService(
            key, new AuthSettings("", "messenger", "someone-else", TTL, dataDir), at(T0));
    TokenService otherIssuer =
        new TokenService(
            key, new AuthSettings("", "impostor", "messenger-clients", TTL, dataDir), at(T0));

    assertEquals(Optional.empty(), ours.verify(otherAudience.issue("user-1").token()));
    assertEquals(Optional.empty(), ours.verify(otherIssuer.issue("user-1").token()));
  }

  @Test
  void aTokenWithATamperedPayloadIsRefused() throws Exception {
    TokenService tokens = new TokenService(randomKey(32), settings(), at(T0));
    String[] parts = tokens.issue("user-1").token().split("\\.");
    JWTClaimsSet original = JWTClaimsSet.parse(Base64URL.from(parts[1]).decodeToString());
    JWTClaimsSet changed = new JWTClaimsSet.Builder(original).subject("user-2").build();
    String tampered =
        parts[0]
            + "."
            + Base64URL.encode(changed.toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];

    assertEquals(Optional.empty(), tokens.verify(tampered));
  }

  @Test
  void anUnsignedAlgNoneTokenIsRefused() {
    TokenService tokens = new TokenService(randomKey(32), settings(), at(T0));
    String unsigned = new PlainJWT(validClaims("user-1")).serialize();
    assertTrue(unsigned.endsWith("."));

    assertEquals(Optional.empty(), tokens.verify(unsigned));
  }

  @Test
  void aTokenSignedWithAnotherHmacAlgorithmIsRefused() throws Exception {
    byte[] key = randomKey(64);
    TokenService tokens = new TokenService(key, settings(), at(T0));
    SignedJWT hs512 =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS512)
                .type(JOSEObjectType.JWT)
                .keyID(tokens.keyId())
                .build(),
            validClaims("user-1"));
    hs512.sign(new MACSigner(key));

    assertEquals(Optional.empty(), tokens.verify(hs512.serialize()));
  }

  @Test
  void garbageIsRefusedWithoutThrowing() {
    TokenService tokens = new TokenService(randomKey(32), settings(), at(T0));
    assertEquals(Optional.empty(), tokens.verify(null));
    assertEquals(Optional.empty(), tokens.verify(""));
    assertEquals(Optional.empty(), tokens.verify("not.a.token"));
    assertEquals(Optional.empty(), tokens.verify("x".repeat(10_000)));
  }

  @Test
  void theKeyFileIsCreatedOnceAndReusedAcrossRestarts() throws Exception {
    Path nested = dataDir.resolve("node-1");
    AuthSettings settings = new AuthSettings("", "messenger", "messenger-clients", TTL, nested);
    Path keyFile = nested.resolve(TokenService.KEY_FILE_NAME);

    TokenService first = TokenService.create(settings);
    assertTrue(Files.exists(keyFile));
    String stored = Files.readString(keyFile);
    if (Files.getFileStore(keyFile).supportsFileAttributeView("posix")) {
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    }
    String token = first.issue("user-1").token();

    TokenService second = TokenService.create(settings);
    assertEquals(stored, Files.readString(keyFile));
    assertEquals(first.keyId(), second.keyId());
    assertEquals(Optional.of("user-1"), second.verify(token));
    try (var files = Files.list(nested)) {
      assertEquals(1, files.count(), "no temporary files left behind");
    }
  }

  @Test
  void aConfiguredSecretIsUsedAndNoKeyFileIsWritten() {
    String secret = "0123456789abcdef0123456789abcdef";
    AuthSettings settings =
        new AuthSettings(secret, "messenger", "messenger-clients", TTL, dataDir);

    TokenService fromSecret = TokenService.create(settings);
    TokenService fromBytes = new TokenService(secret.getBytes(StandardCharsets.UTF_8), settings);

    assertFalse(Files.exists(dataDir.resolve(TokenService.KEY_FILE_NAME)));
    assertArrayEquals(secret.getBytes(StandardCharsets.UTF_8), TokenService.loadKey(settings));
    assertEquals(Optional.of("user-1"), fromBytes.verify(fromSecret.issue("user-1").token()));
  }

  @Test
  void aConfiguredSecretShorterThan32BytesFailsFast() {
    AuthSettings settings =
        new AuthSettings("too-short", "messenger", "messenger-clients", TTL, dataDir);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TokenService.create(settings));
    assertTrue(e.getMessage().contains("at least 32 bytes"), e.getMessage());
  }

  @Test
  void settingsAreReadFromTheConfigBlockWithoutLeakingTheSecret() {
    var config =
        com.typesafe.config.ConfigFactory.parseString(
            "messenger { data-dir = \"/tmp/x\", auth { jwt-secret ="
                + " \"s3cret-s3cret-s3cret-s3cret-s3cret\", jwt-previous-secrets = \" old-1-old-1,"
                + " old-2-old-2 ,\", issuer = i, audience = a, token-ttl = 2h } }");
    AuthSettings settings = AuthSettings.create(config);
    assertEquals(
        new AuthSettings(
            "s3cret-s3cret-s3cret-s3cret-s3cret",
            java.util.List.of("old-1-old-1", "old-2-old-2"),
            "i",
            "a",
            Duration.ofHours(2),
            Path.of("/tmp/x")),
        settings);
    assertFalse(settings.toString().contains("s3cret"));
    assertFalse(settings.toString().contains("old-1"));
  }

  @Test
  void theShippedConfigurationHasAnAuthBlock() {
    AuthSettings settings = AuthSettings.create(com.typesafe.config.ConfigFactory.load());
    assertEquals("messenger", settings.issuer());
    assertEquals("messenger-clients", settings.audience());
    assertEquals(Duration.ofHours(24), settings.tokenTtl());
  }

  private static JWTClaimsSet validClaims(String userId) {
    return new JWTClaimsSet.Builder()
        .subject(userId)
        .issuer("messenger")
        .audience("messenger-clients")
        .issueTime(Date.from(T0))
        .expirationTime(Date.from(T0.plus(TTL)))
        .jwtID(UUID.randomUUID().toString())
        .build();
  }
}
