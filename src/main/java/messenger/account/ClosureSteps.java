package messenger.account;

import akka.Done;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What closing an account does to the rest of the system, one step each; implemented by the wiring
 * so that the closure knows no other entity. Every step must be idempotent: a closure that crashed
 * part way runs its unfinished step again.
 */
public interface ClosureSteps {

  /** The username's login record is closed: no login, the password hash erased, the name kept. */
  CompletionStage<Done> closeAccount(String username, String userId);

  /** Every token of the user is revoked: every open socket closes. */
  CompletionStage<Done> revokeTokens(String userId);

  /**
   * The user's inbox forgets their devices, push endpoints and profile; answers the groups they are
   * still a member of.
   */
  CompletionStage<List<String>> closeInbox(String userId);

  /** The user leaves the group; done also if they are no longer a member. */
  CompletionStage<Done> leaveGroup(String userId, String conversationId);
}
