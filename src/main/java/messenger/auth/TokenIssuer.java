package messenger.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;

/** Signs a new token for a user who has just proven who they are. */
@FunctionalInterface
public interface TokenIssuer {
  CompletionStage<TokenService.IssuedToken> issue(String userId);

  /**
   * Tokens in the user's current generation, read from their ledger: a login right after "log out
   * everywhere" must not get a token of the generation that was just ended. A suspended user gets
   * none: the stage fails with {@code suspended} (only after the password matched, so a guesser
   * learns nothing of the suspension).
   */
  static TokenIssuer withRevocations(TokenService tokens, Revocations revocations) {
    return userId ->
        revocations
            .status(userId)
            .thenApply(
                status -> {
                  if (status.suspended()) throw new DomainException(ErrorCode.SUSPENDED);
                  return tokens.issue(userId, status.generation());
                });
  }

  /** Tokens of generation 0, for users who cannot have revoked any yet (just created) or tests. */
  static TokenIssuer firstGeneration(TokenService tokens) {
    return userId -> CompletableFuture.completedFuture(tokens.issue(userId));
  }
}
