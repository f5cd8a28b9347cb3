package messenger.delivery;

import java.util.concurrent.CompletionStage;

/**
 * The token a device's connection was opened with.
 *
 * @param tokenId its {@code jti}; null for a token without one
 * @param generation the user's token generation it belongs to
 */
public record Credential(String tokenId, int generation) {
  /** Whether the revocation ends connections opened with this token. */
  boolean isRevokedBy(DeviceMessage.Revoked revoked) {
    return generation < revoked.generation()
        || (tokenId != null && tokenId.equals(revoked.tokenId()));
  }

  /** Whether a connection's token is still good, i.e. not revoked since the connection opened. */
  @FunctionalInterface
  public interface Check {
    CompletionStage<Boolean> stillValid(String userId, Credential credential);
  }
}
