package messenger;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import messenger.account.AccountClosure;
import messenger.account.ClosureSteps;
import messenger.account.ProfilePicture;
import messenger.auth.Account;
import messenger.auth.Revocations;
import messenger.chat.Conversation;
import messenger.delivery.UserInbox;
import messenger.media.AvatarStore;

/** Closing accounts: the {@link AccountClosure} entity over the entities it changes. */
final class AccountClosureWiring {

  private AccountClosureWiring() {}

  static void start(
      ActorSystem<?> system, Revocations revocations, AvatarStore avatars, Duration askTimeout) {
    AccountClosure.init(
        system, steps(ClusterSharding.get(system), revocations, avatars, askTimeout));
  }

  static ClosureSteps steps(
      ClusterSharding sharding, Revocations revocations, AvatarStore avatars, Duration timeout) {
    return new ClosureSteps() {
      @Override
      public CompletionStage<Done> closeAccount(String username, String userId) {
        return sharding
            .entityRefFor(Account.ENTITY_KEY, username)
            .askWithStatus(replyTo -> new Account.Close(userId, replyTo), timeout);
      }

      @Override
      public CompletionStage<Done> revokeTokens(String userId) {
        return revocations.revokeAll(userId);
      }

      /** The inbox's profile and devices, and the profile picture with its file. */
      @Override
      public CompletionStage<List<String>> closeInbox(String userId) {
        return sharding
            .entityRefFor(UserInbox.ENTITY_KEY, userId)
            .ask(UserInbox.CloseUser::new, timeout)
            .thenCompose(
                closed ->
                    sharding
                        .entityRefFor(ProfilePicture.ENTITY_KEY, userId)
                        .ask(ProfilePicture.Clear::new, timeout)
                        .thenCompose(
                            shown ->
                                shown.shown()
                                    ? avatars.forget(userId, shown.pictureId())
                                    : CompletableFuture.completedFuture(Done.getInstance()))
                        .thenApply(done -> closed.groups()));
      }

      @Override
      public CompletionStage<Done> leaveGroup(String userId, String conversationId) {
        return sharding
            .entityRefFor(Conversation.ENTITY_KEY, conversationId)
            .askWithStatus(
                (ActorRef<StatusReply<Conversation.Changed>> replyTo) ->
                    new Conversation.RemoveMember(userId, userId, replyTo),
                timeout)
            .thenApply(changed -> Done.getInstance())
            .exceptionallyCompose(AccountClosureWiring::goneAlready);
      }
    };
  }

  /** Leaving a group one is no longer in (or that is gone) is done, not a failure to retry. */
  private static CompletionStage<Done> goneAlready(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof StatusReply.ErrorMessage refused) {
      ErrorCode code = ErrorCode.fromWire(refused.getMessage());
      if (code == ErrorCode.NOT_MEMBER || code == ErrorCode.NOT_FOUND) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
    }
    return CompletableFuture.failedFuture(cause);
  }
}
