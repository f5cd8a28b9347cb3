package messenger.safety;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.SignalHandler;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.CborSerializable;
import messenger.ErrorCode;
import messenger.chat.Attachment;
import messenger.storage.EntityRestarts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One report of a message or a user: sharded and event-sourced, keyed by the report's id (a UUIDv7,
 * so ids sort by when they were filed). It is filed once, then resolved once by a moderator; the
 * first resolution stands. After each change is stored it is written to the {@link ReportIndex}
 * (the lists moderators page through), and only then answered; after a restart the report writes
 * itself there again, in case the crash came between the journal and the index.
 *
 * <p>A message report keeps a copy of the message as the reporter saw it ({@link Evidence}), so the
 * sender deleting it does not take the evidence away (docs/security.md, "Reports and moderation").
 */
public final class Report
    extends EventSourcedBehaviorWithEnforcedReplies<Report.Command, Report.Event, Report.State> {

  private static final Logger log = LoggerFactory.getLogger(Report.class);

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Report");

  // ---- protocol ----

  public sealed interface Command extends CborSerializable permits FileReport, GetReport, Resolve {}

  /** Files the report. Filing it again (a retry) is answered as the first time. */
  public record FileReport(Filing filing, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Refused with {@code not_found} for a report that was never filed. */
  public record GetReport(ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** A moderator resolves the report; once resolved, it is answered with the first resolution. */
  public record Resolve(
      String moderatorId, Outcome outcome, String note, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public enum Outcome {
    /** Nothing to act on. */
    DISMISSED,
    /** The moderator acted (deleted the message, suspended the user, ...). */
    ACTIONED
  }

  /**
   * What was reported, by whom and why.
   *
   * @param conversationId the reported message's conversation; null for a user report
   * @param seq the reported message's seq; null for a user report
   * @param userId the reported user: for a message, its sender
   * @param evidence the message as the reporter saw it; null for a user report
   */
  public record Filing(
      String reportId,
      String reporterId,
      ReportReason reason,
      String note,
      Instant createdAt,
      String conversationId,
      Long seq,
      String userId,
      Evidence evidence)
      implements CborSerializable {

    public boolean isMessageReport() {
      return conversationId != null;
    }

    ReportIndex.Entry indexEntry() {
      return new ReportIndex.Entry(
          reportId, createdAt, reason.wire(), isMessageReport() ? "message" : "user", reporterId);
    }
  }

  /** A copy of the reported message: its sender, text, file references and time. */
  public record Evidence(
      String messageId,
      String senderId,
      String body,
      List<Attachment> attachments,
      Instant timestamp)
      implements CborSerializable {
    public Evidence {
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
  }

  public record Resolution(String moderatorId, Outcome outcome, String note, Instant at)
      implements CborSerializable {}

  /** The report as moderators see it; {@code resolution} is null while it is open. */
  public record View(Filing filing, Resolution resolution) implements CborSerializable {
    public ReportIndex.Status status() {
      return resolution == null ? ReportIndex.Status.OPEN : ReportIndex.Status.RESOLVED;
    }
  }

  public sealed interface Event extends CborSerializable permits ReportFiled, ReportResolved {}

  public record ReportFiled(Filing filing) implements Event {}

  public record ReportResolved(String reportId, Resolution resolution) implements Event {}

  // ---- state ----

  /** Each state says what moderators see of it and which list it belongs in. */
  public sealed interface State extends CborSerializable permits Blank, Pending, Closed {
    /** The report as moderators see it; null before it is filed. */
    View view();

    /** Writes the report into the list it belongs in (nothing before it is filed). */
    CompletionStage<Done> writeTo(ReportIndex index);
  }

  public record Blank() implements State {
    @Override
    public View view() {
      return null;
    }

    @Override
    public CompletionStage<Done> writeTo(ReportIndex index) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }

  public record Pending(Filing filing) implements State {
    @Override
    public View view() {
      return new View(filing, null);
    }

    @Override
    public CompletionStage<Done> writeTo(ReportIndex index) {
      return index.filed(filing.indexEntry());
    }
  }

  public record Closed(Filing filing, Resolution resolution) implements State {
    @Override
    public View view() {
      return new View(filing, resolution);
    }

    @Override
    public CompletionStage<Done> writeTo(ReportIndex index) {
      return index.resolved(filing.indexEntry());
    }
  }

  // ---- wiring ----

  public static void init(ActorSystem<?> system, ReportIndex index) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), index)));
  }

  public static Behavior<Command> create(String reportId, ReportIndex index) {
    return new Report(reportId, index);
  }

  private final ReportIndex index;

  private Report(String reportId, ReportIndex index) {
    super(PersistenceId.of(ENTITY_KEY.name(), reportId), EntityRestarts.onJournalFailure());
    this.index = index;
  }

  @Override
  public State emptyState() {
    return new Blank();
  }

  // ---- commands, by state ----

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return blank().orElse(pending()).orElse(closed()).build();
  }

  private CommandHandlerWithReplyBuilderByState<Command, Event, Blank, State> blank() {
    return newCommandHandlerWithReplyBuilder()
        .forStateType(Blank.class)
        .onCommand(FileReport.class, this::onFile)
        .onCommand(GetReport.class, cmd -> notFound(cmd.replyTo()))
        .onCommand(Resolve.class, cmd -> notFound(cmd.replyTo()));
  }

  private CommandHandlerWithReplyBuilderByState<Command, Event, Pending, State> pending() {
    return newCommandHandlerWithReplyBuilder()
        .forStateType(Pending.class)
        .onCommand(FileReport.class, (state, cmd) -> answer(cmd.replyTo(), state.view()))
        .onCommand(GetReport.class, (state, cmd) -> answer(cmd.replyTo(), state.view()))
        .onCommand(Resolve.class, this::onResolve);
  }

  private CommandHandlerWithReplyBuilderByState<Command, Event, Closed, State> closed() {
    return newCommandHandlerWithReplyBuilder()
        .forStateType(Closed.class)
        .onCommand(FileReport.class, (state, cmd) -> answer(cmd.replyTo(), state.view()))
        .onCommand(GetReport.class, (state, cmd) -> answer(cmd.replyTo(), state.view()))
        .onCommand(Resolve.class, (state, cmd) -> answer(cmd.replyTo(), state.view()));
  }

  private ReplyEffect<Event, State> onFile(Blank state, FileReport cmd) {
    return Effect()
        .persist(new ReportFiled(cmd.filing()))
        .thenRun(next -> indexThenAnswer(next, cmd.replyTo()))
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onResolve(Pending state, Resolve cmd) {
    var resolution = new Resolution(cmd.moderatorId(), cmd.outcome(), cmd.note(), Instant.now());
    return Effect()
        .persist(new ReportResolved(state.filing().reportId(), resolution))
        .thenRun(next -> indexThenAnswer(next, cmd.replyTo()))
        .thenNoReply();
  }

  /** The index is written before the answer: a moderator's list never lags what was answered. */
  private void indexThenAnswer(State state, ActorRef<StatusReply<View>> replyTo) {
    View view = state.view();
    state
        .writeTo(index)
        .whenComplete(
            (done, failure) -> {
              if (failure == null) {
                replyTo.tell(StatusReply.success(view));
              } else {
                // Stored already; the next recovery of this report writes the index again.
                log.warn("Indexing report {} failed", view.filing().reportId(), failure);
                replyTo.tell(StatusReply.error(ErrorCode.UNAVAILABLE.wire()));
              }
            });
  }

  private ReplyEffect<Event, State> answer(ActorRef<StatusReply<View>> replyTo, View view) {
    return Effect().reply(replyTo, StatusReply.success(view));
  }

  private ReplyEffect<Event, State> notFound(ActorRef<StatusReply<View>> replyTo) {
    return Effect().reply(replyTo, StatusReply.error(ErrorCode.NOT_FOUND.wire()));
  }

  // ---- recovery and events ----

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state ->
                state
                    .writeTo(index)
                    .whenComplete(
                        (done, failure) -> {
                          if (failure != null)
                            log.warn("Indexing a recovered report failed", failure);
                        }))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder
        .forStateType(Blank.class)
        .onEvent(ReportFiled.class, event -> new Pending(event.filing()));
    builder
        .forStateType(Pending.class)
        .onEvent(
            ReportResolved.class, (state, event) -> new Closed(state.filing(), event.resolution()));
    return builder.build();
  }
}
