package messenger.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Signs a new token for a user who has just proven who they are. */
@FunctionalInterface
public interface TokenIssuer {
  CompletionStage<TokenService.IssuedToken> issue(String userId);

  /**
   * Tokens in the user's current generation, read from their ledger: a login right after "log out
   * everywhere" must not get a token of the generation that was just ended.
   */
  static TokenIssuer withRevocations(TokenService tokens, Revocations revocations) {
    return userId ->
        revocations.generation(userId).thenApply(generation -> tokens.issue(userId, generation));
  }

  /** Tokens of generation 0, for users who cannot have revoked any yet (just created) or tests. */
  static TokenIssuer firstGeneration(TokenService tokens) {
    return userId -> CompletableFuture.completedFuture(tokens.issue(userId));
  }
}
