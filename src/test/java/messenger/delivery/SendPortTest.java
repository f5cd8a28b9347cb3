package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import com.typesafe.config.ConfigFactory;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.chat.Attachment;
import messenger.chat.Conversation;
import messenger.limits.SendAdmission;
import messenger.limits.SendLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The one send path, against a probe standing in for the conversation. */
class SendPortTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create("SendPortTest", ConfigFactory.parseString("akka.actor.provider = local"));

  private static final Duration ASK_TIMEOUT = Duration.ofMillis(300);
  private static final Conversation.Posted POSTED =
      new Conversation.Posted("c-1", "m-1", 1, Instant.EPOCH);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final TestProbe<Conversation.Command> conversation = testKit.createTestProbe();

  /** Room for every send these tests make at once, unless a test sets its own. */
  private SendAdmission admission = new SendAdmission(100, Duration.ofMillis(200));

  /** The port, sending to the probe whatever the conversation id. */
  private SendPort port(int userBurst, int connectionBurst) {
    return new SendPort(
        (conversationId, post, timeout) ->
            AskPattern.askWithStatus(conversation.ref(), post::apply, timeout, testKit.scheduler()),
        admission,
        new SendLimits(new SendLimits.Settings(1, userBurst, 1, connectionBurst)),
        ASK_TIMEOUT);
  }

  private static SendPort.Outcome await(CompletionStage<SendPort.Outcome> outcome)
      throws Exception {
    return outcome.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** The conversation answers the send it was asked. */
  private void answer(StatusReply<Conversation.Posted> reply) {
    conversation.expectMessageClass(Conversation.Post.class).replyTo().tell(reply);
  }

  @Test
  void anAcceptedSendAnswersWithWhatTheConversationPosted() throws Exception {
    var outcome = port(10, 10).send("alice", "c-1", "k-1", "hello");

    Conversation.Post post = conversation.expectMessageClass(Conversation.Post.class);
    assertEquals(
        new Conversation.Post("alice", "k-1", "hello", post.replyTo()), post, "the send as asked");
    post.replyTo().tell(StatusReply.success(POSTED));
    assertEquals(new SendPort.Accepted(POSTED), await(outcome));
  }

  @Test
  void aMessagesFilesAreClaimedBeforeItIsPostedAndARefusedClaimRefusesTheSendWithItsCode()
      throws Exception {
    var file = new Attachment("up-1", "image/png", 5, "a.png", null, null, null);
    var taken = new java.util.ArrayList<List<Attachment>>();
    SendPort.Claims claims =
        (sender, conversationId, files) -> {
          taken.add(files);
          return files.get(0).size() == 5
              ? CompletableFuture.completedFuture(files)
              : CompletableFuture.failedFuture(new DomainException(ErrorCode.UPLOAD_MISMATCH));
        };
    var port =
        new SendPort(
            (conversationId, post, timeout) ->
                AskPattern.askWithStatus(
                    conversation.ref(), post::apply, timeout, testKit.scheduler()),
            admission,
            new SendLimits(new SendLimits.Settings(1, 10, 1, 10)),
            ASK_TIMEOUT,
            claims);

    var outcome = port.send("alice", "c-1", "k-1", "", List.of(file));
    Conversation.Post post = conversation.expectMessageClass(Conversation.Post.class);
    assertEquals(List.of(file), post.attachments());
    post.replyTo().tell(StatusReply.success(POSTED));
    assertEquals(new SendPort.Accepted(POSTED), await(outcome));

    var wrongSize = new Attachment("up-2", "image/png", 6, "a.png", null, null, null);
    assertEquals(
        new SendPort.Refused(ErrorCode.UPLOAD_MISMATCH, null),
        await(port.send("alice", "c-1", "k-2", "", List.of(wrongSize))));
    conversation.expectNoMessage(Duration.ofMillis(100));
    assertEquals(2, taken.size());
  }

  @Test
  void aServerWithoutAnObjectStoreRefusesFilesAndStillSendsText() throws Exception {
    var file = new Attachment("up-1", "image/png", 5, "a.png", null, null, null);
    assertEquals(
        ErrorCode.TOO_MANY_ATTACHMENTS,
        ((SendPort.Refused) await(port(10, 10).send("alice", "c-1", "k-1", "", List.of(file))))
            .code());
    conversation.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void theConversationsRefusalIsItsCode() throws Exception {
    SendPort port = port(10, 10);
    for (ErrorCode code : new ErrorCode[] {ErrorCode.NOT_MEMBER, ErrorCode.NOT_FOUND}) {
      var outcome = port.send("alice", "c-1", "k-1", "hello");
      answer(StatusReply.error(code.wire()));
      assertEquals(new SendPort.Refused(code, null), await(outcome));
    }
  }

  @Test
  void noAnswerWithinTheAskTimeoutIsUnavailableWithTheTimeout() throws Exception {
    var outcome = port(10, 10).send("alice", "c-1", "k-1", "hello");

    conversation.expectMessageClass(Conversation.Post.class);
    SendPort.Refused refused = assertInstanceOf(SendPort.Refused.class, await(outcome));
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    assertInstanceOf(TimeoutException.class, refused.failure());
  }

  @Test
  void aUserOverTheAllowanceIsRateLimitedWithoutAskingTheConversation() throws Exception {
    SendPort port = port(1, 10);
    var first = port.send("alice", "c-1", "k-1", "one");
    answer(StatusReply.success(POSTED));
    assertEquals(new SendPort.Accepted(POSTED), await(first));

    assertEquals(
        new SendPort.Refused(ErrorCode.RATE_LIMITED, null),
        await(port.send("alice", port.connectionAllowance(), "c-1", "k-2", "two")));
    assertEquals(
        new SendPort.Refused(ErrorCode.RATE_LIMITED, null),
        await(port.send("alice", "c-1", "k-2", "two")));
    conversation.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aConnectionOverItsAllowanceIsRateLimitedWhileAnotherMaySend() throws Exception {
    SendPort port = port(10, 1);
    Bucket phone = port.connectionAllowance();
    Bucket laptop = port.connectionAllowance();

    port.send("alice", phone, "c-1", "k-1", "one");
    conversation.expectMessageClass(Conversation.Post.class);
    assertEquals(
        new SendPort.Refused(ErrorCode.RATE_LIMITED, null),
        await(port.send("alice", phone, "c-1", "k-2", "two")));
    conversation.expectNoMessage(Duration.ofMillis(100));

    port.send("alice", laptop, "c-1", "k-3", "three");
    conversation.expectMessageClass(Conversation.Post.class);
  }

  @Test
  void aSendBeyondTheNodesSendsInFlightIsOverloadedAtOnceWithoutAskingOrSpendingTheAllowance()
      throws Exception {
    admission = new SendAdmission(1, Duration.ofMillis(200));
    SendPort port = port(2, 10);
    var first = port.send("alice", "c-1", "k-1", "one");
    var post = conversation.expectMessageClass(Conversation.Post.class);

    SendPort.Refused refused =
        assertInstanceOf(SendPort.Refused.class, await(port.send("alice", "c-1", "k-2", "two")));
    assertEquals(ErrorCode.OVERLOADED, refused.code());
    assertEquals(ErrorDetail.Rule.RETRY_AFTER, refused.detail().rule());
    long wait = refused.detail().retryAfterMs();
    assertTrue(wait >= 200 && wait <= 400, () -> wait + " ms");
    conversation.expectNoMessage(Duration.ofMillis(100));

    post.replyTo().tell(StatusReply.success(POSTED));
    assertEquals(new SendPort.Accepted(POSTED), await(first));
    var second = port.send("alice", "c-1", "k-2", "two");
    answer(StatusReply.success(POSTED));
    assertEquals(
        new SendPort.Accepted(POSTED),
        await(second),
        "the answer freed the place, and the refused send had cost no token of the burst of 2");
  }

  @Test
  void everyWayASendEndsGivesItsPermitBack() throws Exception {
    SendPort port = port(3, 10);
    var stored = port.send("alice", "c-1", "k-1", "one");
    answer(StatusReply.success(POSTED));
    await(stored);
    var refused = port.send("alice", "c-1", "k-2", "two");
    answer(StatusReply.error(ErrorCode.NOT_MEMBER.wire()));
    await(refused);
    var timedOut = port.send("alice", "c-1", "k-3", "three");
    conversation.expectMessageClass(Conversation.Post.class);
    await(timedOut);
    await(port.send("alice", "c-1", "k-4", "rate limited: the burst of 3 is spent"));
    assertEquals(0, admission.inFlight(), "stored, refused, timed out, rate limited");

    SendPort broken =
        new SendPort(
            (conversationId, post, timeout) -> {
              throw new IllegalStateException("sharding not started");
            },
            admission,
            new SendLimits(new SendLimits.Settings(1, 10, 1, 10)),
            ASK_TIMEOUT);
    SendPort.Refused notAsked =
        assertInstanceOf(SendPort.Refused.class, await(broken.send("alice", "c-1", "k-5", "x")));
    assertEquals(ErrorCode.UNAVAILABLE, notAsked.code());
    assertEquals(0, admission.inFlight(), "an ask that threw");
  }

  @Test
  void aWrappedRefusalIsStillItsCodeAndAnyOtherFailureIsUnavailable() {
    var refusal = new CompletionException(new StatusReply.ErrorMessage("not_member"));
    assertEquals(new SendPort.Refused(ErrorCode.NOT_MEMBER, null), SendPort.outcome(null, refusal));

    var broken = new IllegalStateException("serialization");
    SendPort.Refused refused =
        assertInstanceOf(
            SendPort.Refused.class, SendPort.outcome(null, new CompletionException(broken)));
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    assertEquals(broken, refused.failure());

    assertEquals(new SendPort.Accepted(POSTED), SendPort.outcome(POSTED, null));
  }

  @Test
  void theOutcomeFoldsToTheBranchOfItsKind() {
    assertEquals(
        "m-1", new SendPort.Accepted(POSTED).fold(Conversation.Posted::messageId, r -> "no"));
    assertEquals(
        "rate_limited",
        new SendPort.Refused(ErrorCode.RATE_LIMITED, null).fold(p -> "yes", r -> r.code().wire()));
    assertNull(new SendPort.Refused(ErrorCode.UNAVAILABLE, null).failure());
  }
}
