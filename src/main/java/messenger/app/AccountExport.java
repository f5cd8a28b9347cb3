package messenger.app;

import akka.NotUsed;
import akka.japi.Pair;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail.Rule;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationLog;
import messenger.delivery.ConversationSummary;
import messenger.delivery.UserInbox;

/**
 * A user's data as one stream, for {@code GET /api/v1/account/export}: the account and devices,
 * then each conversation with the messages the user sent in it, as they now are (edited text;
 * deleted ones, amendments and membership changes left out).
 *
 * <p>Memory stays bounded whatever the history: each conversation's log is read a page of {@link
 * #PAGE} entries at a time, only when the consumer (the HTTP response, at the client's pace) wants
 * more, so a node holds about one page per export in flight. The whole log of every conversation is
 * read to find the user's messages, so an export costs a full replay of them; at most {@code
 * maxAtOnce} run on a node at once, and the next is refused with {@code rate_limited}.
 */
public final class AccountExport {

  /** Entries read from a conversation's log per read. */
  static final int PAGE = 200;

  /**
   * Exports a node runs at once: each is a full replay of the user's conversations, which on two
   * cores shared with Cassandra is felt by everyone else's history reads.
   */
  public static final int DEFAULT_AT_ONCE = 2;

  /** A piece of the export, in the order the stream gives them. */
  public sealed interface Part permits Header, ConversationStart, OwnMessage, ConversationEnd {

    /**
     * A branch for each kind and no default: {@code AccountExportTest} walks the permitted kinds,
     * so a new one fails a test until it has its branch here.
     */
    static <T> T match(
        Part part,
        java.util.function.Function<Header, T> header,
        java.util.function.Function<ConversationStart, T> start,
        java.util.function.Function<OwnMessage, T> message,
        java.util.function.Function<ConversationEnd, T> end) {
      if (part instanceof Header h) return header.apply(h);
      if (part instanceof ConversationStart s) return start.apply(s);
      if (part instanceof OwnMessage m) return message.apply(m);
      if (part instanceof ConversationEnd e) return end.apply(e);
      throw new IllegalStateException("no branch for export part " + part);
    }
  }

  public record Header(
      Instant exportedAt, AccountService.Own account, List<UserInbox.DeviceView> devices)
      implements Part {}

  /** The messages that follow, up to {@link ConversationEnd}, are the user's in it. */
  public record ConversationStart(ConversationSummary summary) implements Part {}

  public record OwnMessage(ChatMessage message) implements Part {}

  public record ConversationEnd(String conversationId) implements Part {}

  private final AccountService accounts;
  private final ConversationService conversations;
  private final messenger.app.DeviceService devices;
  private final ConversationLog log;
  private final int maxAtOnce;
  private final AtomicInteger running = new AtomicInteger();

  public AccountExport(
      AccountService accounts,
      ConversationService conversations,
      DeviceService devices,
      ConversationLog log,
      int maxAtOnce) {
    this.accounts = accounts;
    this.conversations = conversations;
    this.devices = devices;
    this.log = log;
    this.maxAtOnce = maxAtOnce;
  }

  /**
   * The export of {@code userId}, once its account, devices and conversation list are read; fails
   * with {@code RATE_LIMITED} when {@code maxAtOnce} exports are running on this node.
   */
  public CompletionStage<Source<Part, NotUsed>> of(String userId) {
    if (running.incrementAndGet() > maxAtOnce) {
      running.decrementAndGet();
      return CompletableFuture.failedFuture(
          DomainException.of(ErrorCode.RATE_LIMITED, Rule.EXPORTS_AT_ONCE));
    }
    Slot slot = new Slot();
    CompletionStage<Source<Part, NotUsed>> started =
        accounts
            .own(userId)
            .thenCombine(devices.list(userId), (own, list) -> new Header(Instant.now(), own, list))
            .thenCombine(
                conversations.list(userId), (header, list) -> stream(userId, header, list, slot));
    return started.whenComplete(
        (source, failure) -> {
          if (failure != null) {
            slot.release();
            return;
          }
          // A response whose connection went before it was sent is never run: free its place.
          CompletableFuture.delayedExecutor(UNSTARTED_AFTER.toMillis(), TimeUnit.MILLISECONDS)
              .execute(
                  () -> {
                    if (!slot.started.get()) slot.release();
                  });
        });
  }

  /** How long an export's stream may wait to be run before its place is given back. */
  static final Duration UNSTARTED_AFTER = Duration.ofSeconds(30);

  /** One export's place among the {@code maxAtOnce}: given back once, whatever ends it. */
  private final class Slot {
    final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();

    void release() {
      if (released.compareAndSet(false, true)) running.decrementAndGet();
    }
  }

  private Source<Part, NotUsed> stream(
      String userId, Header header, List<ConversationSummary> summaries, Slot slot) {
    Source<Part, NotUsed> body =
        Source.from(summaries).flatMapConcat(summary -> conversation(userId, summary));
    return Source.<Part>single(header)
        .concat(body)
        .watchTermination(
            (notUsed, done) -> {
              slot.started.set(true);
              done.whenComplete((ok, failure) -> slot.release());
              return notUsed;
            });
  }

  private Source<Part, NotUsed> conversation(String userId, ConversationSummary summary) {
    return conversation(log, userId, summary);
  }

  /**
   * The conversation's part of the export: its start, the user's messages read page by page as the
   * consumer asks for them, its end.
   */
  static Source<Part, NotUsed> conversation(
      ConversationLog log, String userId, ConversationSummary summary) {
    String id = summary.info().conversationId();
    long first = Math.max(1, summary.joinedFrom());
    long last = summary.lastSeq();
    Source<Part, NotUsed> own =
        Source.unfoldAsync(
                first,
                (Long from) ->
                    from > last
                        ? CompletableFuture.completedFuture(
                            Optional.<Pair<Long, List<ChatMessage>>>empty())
                        : log.read(id, from, Math.min(last, from + PAGE - 1))
                            .thenApply(page -> Optional.of(Pair.create(from + PAGE, page))))
            .mapConcat(page -> page)
            .filter(m -> isOwnMessage(userId, m))
            .map(OwnMessage::new);
    return Source.<Part>single(new ConversationStart(summary))
        .concat(own)
        .concat(Source.single(new ConversationEnd(id)));
  }

  /** A message the user sent that is still there: not a change, an amendment or deleted. */
  static boolean isOwnMessage(String userId, ChatMessage m) {
    return userId.equals(m.senderId())
        && m.change() == null
        && m.amendment() == null
        && !m.later().deleted();
  }
}
