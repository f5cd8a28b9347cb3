package messenger.chat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The token of an invite link: an HS256 JWT of its own type ({@code typ: invite}) and audience,
 * naming the group ({@code sub}), the invite ({@code jti}) and its expiry, signed with a key of its
 * own. It proves the server made the link and until when it works; whether it was revoked is the
 * {@link InviteBook}'s. It never verifies as a bearer token (another key and audience), nor a
 * bearer token as an invite. A token is the same for the same invite, so a list can show it again.
 */
public final class InviteTokens {

  static final String AUDIENCE = "messenger-invites";
  static final JOSEObjectType TYPE = new JOSEObjectType("invite");
  private static final int MAX_TOKEN_CHARS = 1024;

  /** What a good token says. */
  public record Invite(String conversationId, String inviteId, Instant expiresAt) {}

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Clock clock;

  /**
   * @param key at least 32 bytes, kept for invites only (derived from the server's token key)
   */
  public InviteTokens(byte[] key, Clock clock) {
    try {
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable invite key: " + e.getMessage(), e);
    }
    this.clock = clock;
  }

  public String sign(String conversationId, String inviteId, Instant expiresAt) {
    var claims =
        new JWTClaimsSet.Builder()
            .subject(conversationId)
            .jwtID(inviteId)
            .audience(AUDIENCE)
            .expirationTime(Date.from(expiresAt))
            .build();
    var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TYPE).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("an HMAC signature cannot fail with a valid key", e);
    }
    return jwt.serialize();
  }

  /** The invite, if the token is one of ours, of the right type and audience, and unexpired. */
  public Optional<Invite> verify(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
          || !TYPE.equals(jwt.getHeader().getType())
          || !jwt.verify(verifier)) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date expiry = claims.getExpirationTime();
      if (!List.of(AUDIENCE).equals(claims.getAudience())
          || claims.getSubject() == null
          || claims.getJWTID() == null
          || expiry == null
          || !expiry.toInstant().isAfter(clock.instant())) {
        return Optional.empty();
      }
      return Optional.of(new Invite(claims.getSubject(), claims.getJWTID(), expiry.toInstant()));
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
  }
}
