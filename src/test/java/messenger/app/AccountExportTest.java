package messenger.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Sink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import messenger.chat.Amendment;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationLog;
import messenger.chat.ConversationType;
import messenger.chat.Revision;
import messenger.chat.SystemChange;
import messenger.delivery.ConversationSummary;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class AccountExportTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  // The test kit's system: a plain ActorSystem would read the node's config, whose coordinated
  // shutdown ends the JVM (and with it the whole test run) when the system terminates.
  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());
  private static final ActorSystem<Void> system = KIT.system();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** A log of {@code size} messages, alternately by alice and bob, that counts its reads. */
  private static final class CountingLog implements ConversationLog {
    final AtomicInteger reads = new AtomicInteger();
    final long size;

    CountingLog(long size) {
      this.size = size;
    }

    @Override
    public CompletionStage<List<ChatMessage>> read(
        String conversationId, long fromSeq, long toSeq) {
      reads.incrementAndGet();
      List<ChatMessage> page = new ArrayList<>();
      for (long seq = fromSeq; seq <= Math.min(toSeq, size); seq++) {
        page.add(message(seq, seq % 2 == 0 ? "alice" : "bob"));
      }
      return CompletableFuture.completedFuture(page);
    }
  }

  private static ChatMessage message(long seq, String sender) {
    return new ChatMessage(
        "c-1",
        seq,
        "m-" + seq,
        sender,
        "body " + seq,
        T0.plusSeconds(seq),
        null,
        List.of(),
        null,
        null);
  }

  /** The summary of a conversation the user holds from {@code from} to {@code last}. */
  private static ConversationSummary summary(long from, long last) {
    var info =
        new ConversationInfo("c-1", ConversationType.GROUP, List.of("alice", "bob"), T0, "team");
    return new ConversationSummary(info, last, 0, null, 0, false, false, last, last, from, 0, null);
  }

  @Test
  void theExportReadsTheLogOnlyAsFastAsItsConsumerTakesMessages() throws Exception {
    var log = new CountingLog(10_000);
    var queue =
        AccountExport.conversation(log, "alice", summary(1, 10_000)).runWith(Sink.queue(1), system);

    for (int i = 0; i < 3; i++) queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS);

    // The first parts need the first page; the stages' small buffers may ask a few ahead, never
    // the 50 pages of the whole log.
    int readsAfterThree = log.reads.get();
    assertTrue(readsAfterThree <= 4, "reads after three parts: " + readsAfterThree);
    queue.cancel();
  }

  @Test
  void aConversationsPartIsItsStartTheUsersOwnMessagesFromTheJoinPointAndItsEnd() throws Exception {
    var log = new CountingLog(1_000);

    List<AccountExport.Part> parts =
        AccountExport.conversation(log, "alice", summary(501, 1_000))
            .runWith(Sink.seq(), system)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertTrue(parts.get(0) instanceof AccountExport.ConversationStart);
    assertEquals(new AccountExport.ConversationEnd("c-1"), parts.get(parts.size() - 1));
    List<Long> seqs =
        parts.subList(1, parts.size() - 1).stream()
            .map(p -> ((AccountExport.OwnMessage) p).message().seq())
            .toList();
    assertEquals(250, seqs.size());
    assertEquals(502L, seqs.get(0));
    assertEquals(1_000L, seqs.get(seqs.size() - 1));
    assertEquals((500 + AccountExport.PAGE - 1) / AccountExport.PAGE, log.reads.get());
  }

  @Test
  void onlyTheUsersOwnMessagesThatStillStandAreExported() {
    assertTrue(AccountExport.isOwnMessage("alice", message(1, "alice")));
    assertFalse(AccountExport.isOwnMessage("alice", message(1, "bob")));
    var deleted = message(2, "alice").revised(new Revision(null, T0, Map.of()), "");
    assertFalse(AccountExport.isOwnMessage("alice", deleted));
    var reaction =
        new ChatMessage(
            "c-1",
            3,
            "m-3",
            "alice",
            "",
            T0,
            null,
            List.of(),
            Amendment.reaction(1, "👍", true),
            null);
    assertFalse(AccountExport.isOwnMessage("alice", reaction));
    var change =
        new ChatMessage(
            "c-1", 4, "m-4", "alice", "", T0, SystemChange.renamed("x"), List.of(), null, null);
    assertFalse(AccountExport.isOwnMessage("alice", change));
  }

  @Test
  void everyKindOfPartHasABranch() {
    for (Class<?> kind : AccountExport.Part.class.getPermittedSubclasses()) {
      AccountExport.Part part = sample(kind);
      assertEquals(
          kind.getSimpleName(),
          AccountExport.Part.match(
              part,
              h -> "Header",
              s -> "ConversationStart",
              m -> "OwnMessage",
              e -> "ConversationEnd"));
    }
  }

  private static AccountExport.Part sample(Class<?> kind) {
    if (kind == AccountExport.Header.class) {
      return new AccountExport.Header(T0, new AccountService.Own("u", "alice", "Alice"), List.of());
    }
    if (kind == AccountExport.ConversationStart.class) {
      return new AccountExport.ConversationStart(summary(1, 1));
    }
    if (kind == AccountExport.OwnMessage.class)
      return new AccountExport.OwnMessage(message(1, "a"));
    if (kind == AccountExport.ConversationEnd.class) return new AccountExport.ConversationEnd("c");
    throw new AssertionError("no sample of " + kind);
  }
}
