package messenger.auth;

import akka.Done;
import java.util.concurrent.CompletionStage;

/**
 * Creates the actor that holds a new user's own state (inbox, profile). Implemented by the wiring,
 * so that auth does not depend on the delivery side.
 *
 * <p>Must be idempotent: {@link Accounts} calls it on every registration <em>and</em> on every
 * successful login, which repairs a registration that crashed between creating the user and
 * recording the account. Completes when the user exists; fails (for example with a {@link
 * java.util.concurrent.TimeoutException}) if that could not be confirmed.
 */
@FunctionalInterface
public interface UserCreator {
  CompletionStage<Done> create(String userId, String username, String displayName);
}
