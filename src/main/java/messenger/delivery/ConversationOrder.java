package messenger.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import messenger.chat.ChatMessage;

/**
 * The order in which one connection emits messages: per conversation never a seq twice, never one
 * out of seq order, and a gap read from the conversation's log rather than waited for
 * (docs/design-fanout-on-read.md). It also numbers what it emits: each message goes out as an
 * {@link InboxEntry} with the connection's next cursor, starting after the device's acknowledged
 * cursor, so cursors keep rising across connections. Pure bookkeeping for a {@link Session}; not
 * thread-safe, one per connection.
 *
 * <p>Per conversation it knows {@code delivered} (the highest seq emitted) and {@code known} (the
 * highest seq it has heard exists: the inbox's {@code upTo}, or a live push). Live messages ahead
 * of {@code delivered + 1} are held, at most {@code pendingLimit} in all; beyond that they are
 * dropped and read from the log later, so memory stays bounded during a long catch-up.
 */
final class ConversationOrder {

  /**
   * Seqs {@code after < seq <= upTo} of one conversation, to read from its log. {@code upTo} may be
   * {@link Long#MAX_VALUE}: to the end of the log.
   *
   * @param joinedFrom the first seq the user may see (0: not known), for replies' quotes
   */
  record Gap(String conversationId, long after, long upTo, long joinedFrom) {
    Gap(String conversationId, long after, long upTo) {
      this(conversationId, after, upTo, 0);
    }
  }

  /**
   * What to do now.
   *
   * @param frames what to emit, in order: each a non-empty run of at most the batch size
   * @param gaps what only the logs can fill; empty if nothing is missing
   */
  record Step(List<List<InboxEntry>> frames, List<Gap> gaps) {}

  /** One conversation as this connection has it. */
  private static final class Stream {
    long delivered;
    long known;
    long joinedFrom;
    final TreeMap<Long, ChatMessage> held = new TreeMap<>();

    Stream(long delivered) {
      this.delivered = delivered;
      this.known = delivered;
    }
  }

  private final int batchSize;
  private final int pendingLimit;

  /** By conversation id; sorted, so that gaps come in a stable order. */
  private final Map<String, Stream> streams = new TreeMap<>();

  private int heldCount;
  private boolean attachedOnce;
  private long nextCursor = 1;
  private long lastEmitted;

  /**
   * @param batchSize the most entries in one frame
   * @param pendingLimit the most live messages held, over all conversations
   */
  ConversationOrder(int batchSize, int pendingLimit) {
    if (batchSize < 1 || pendingLimit < 1) {
      throw new IllegalArgumentException("batchSize and pendingLimit must be positive");
    }
    this.batchSize = batchSize;
    this.pendingLimit = pendingLimit;
  }

  /** The highest seq of the conversation emitted (or taken as held by the device); 0 if unknown. */
  long delivered(String conversationId) {
    Stream stream = streams.get(conversationId);
    return stream == null ? 0 : stream.delivered;
  }

  /** The cursor the device may acknowledge for {@code cursor}: never beyond what it was sent. */
  long ackable(long cursor) {
    return Math.min(cursor, lastEmitted);
  }

  int held() {
    return heldCount;
  }

  /**
   * The inbox answered an attach. The first answer says where the device stands; a later one (the
   * periodic re-attach) cannot move a conversation back, since this connection may have emitted
   * more than the device has acknowledged.
   *
   * @return the ranges to read before what is held can follow on
   */
  List<Gap> attached(ConnectReply.Connected connected) {
    boolean first = !attachedOnce;
    attachedOnce = true;
    nextCursor = Math.max(nextCursor, connected.ackedCursor() + 1);
    connected
        .conversations()
        .forEach(
            (id, visible) -> {
              Stream stream = streams.computeIfAbsent(id, k -> new Stream(visible.after()));
              if (first) stream.delivered = visible.after();
              else stream.delivered = Math.max(stream.delivered, visible.after());
              stream.known = Math.max(stream.known, visible.upTo());
              stream.joinedFrom = visible.joinedFrom();
              dropDelivered(stream);
            });
    return gaps();
  }

  /**
   * The client asked to be sent again everything after its stored positions: every conversation
   * starts over from {@code Connected}'s {@code after}, with new cursors. Held messages go; they
   * came before this answer, so its ranges cover them.
   */
  List<Gap> resync(ConnectReply.Connected connected) {
    attachedOnce = true;
    nextCursor = Math.max(nextCursor, connected.ackedCursor() + 1);
    streams.clear();
    heldCount = 0;
    connected
        .conversations()
        .forEach(
            (id, visible) -> {
              Stream stream = new Stream(visible.after());
              stream.known = visible.upTo();
              stream.joinedFrom = visible.joinedFrom();
              streams.put(id, stream);
            });
    return gaps();
  }

  /**
   * A live push while no catch-up runs: what follows on goes out at once (with held messages it
   * lets follow on); anything ahead of a gap is held, and the gap is to be read.
   */
  Step live(DeviceMessage.Deliver deliver) {
    Stream stream = streamOf(deliver);
    List<InboxEntry> next = new ArrayList<>();
    for (ChatMessage message : deliver.messages()) {
      if (message.seq() == stream.delivered + 1) {
        next.add(emit(stream, message));
        drainFollowing(stream, next);
      } else {
        hold(stream, message);
      }
    }
    return new Step(frames(next), gaps());
  }

  /** A live push while a catch-up runs (or before it starts): held, up to the limit. */
  void hold(DeviceMessage.Deliver deliver) {
    Stream stream = streamOf(deliver);
    deliver.messages().forEach(message -> hold(stream, message));
  }

  /**
   * Messages a catch-up read from the conversation's log: those that follow on, as entries to emit
   * now; those already emitted are left out, and any beyond a hole in the read are held.
   */
  List<InboxEntry> replayed(String conversationId, List<ChatMessage> messages) {
    Stream stream = streams.computeIfAbsent(conversationId, k -> new Stream(0));
    List<InboxEntry> fresh = new ArrayList<>(messages.size());
    for (ChatMessage message : messages) {
      if (message.seq() == stream.delivered + 1) fresh.add(emit(stream, message));
      else hold(stream, message);
    }
    dropDelivered(stream);
    return List.copyOf(fresh);
  }

  /**
   * A catch-up ended: the held messages that now follow on, in frames of at most the batch size,
   * and what still needs reading.
   */
  Step release() {
    List<InboxEntry> next = new ArrayList<>();
    for (Stream stream : streams.values()) {
      dropDelivered(stream);
      drainFollowing(stream, next);
    }
    return new Step(frames(next), gaps());
  }

  // ---- helpers ----

  /**
   * A conversation first heard of in a live push (joined after this connection attached) follows on
   * from the push's {@code after}; any conversation's push says its seqs up to {@code after} exist.
   */
  private Stream streamOf(DeviceMessage.Deliver deliver) {
    Stream stream =
        streams.computeIfAbsent(deliver.conversationId(), k -> new Stream(deliver.after()));
    stream.known = Math.max(stream.known, deliver.after());
    return stream;
  }

  private InboxEntry emit(Stream stream, ChatMessage message) {
    stream.delivered = message.seq();
    lastEmitted = nextCursor++;
    return new InboxEntry(lastEmitted, message);
  }

  private void hold(Stream stream, ChatMessage message) {
    if (message.seq() <= stream.delivered) return;
    stream.known = Math.max(stream.known, message.seq());
    if (stream.held.containsKey(message.seq())) return;
    // Dropped past the bound: `known` still covers it, so the gap is read from the log.
    if (heldCount >= pendingLimit) return;
    stream.held.put(message.seq(), message);
    heldCount++;
  }

  private void drainFollowing(Stream stream, List<InboxEntry> into) {
    while (!stream.held.isEmpty() && stream.held.firstKey() == stream.delivered + 1) {
      heldCount--;
      into.add(emit(stream, stream.held.pollFirstEntry().getValue()));
    }
  }

  private void dropDelivered(Stream stream) {
    var done = stream.held.headMap(stream.delivered, true);
    heldCount -= done.size();
    done.clear();
  }

  /**
   * Per conversation the first range missing: up to the first held message, or to the highest seq
   * known. Never further: reading to the end of the log could pass the user's removal, which only
   * the inbox knows.
   */
  private List<Gap> gaps() {
    List<Gap> gaps = new ArrayList<>();
    streams.forEach(
        (id, stream) -> {
          long upTo = stream.held.isEmpty() ? stream.known : stream.held.firstKey() - 1;
          if (upTo > stream.delivered)
            gaps.add(new Gap(id, stream.delivered, upTo, stream.joinedFrom));
        });
    return List.copyOf(gaps);
  }

  private List<List<InboxEntry>> frames(List<InboxEntry> entries) {
    List<List<InboxEntry>> frames = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += batchSize) {
      frames.add(List.copyOf(entries.subList(from, Math.min(entries.size(), from + batchSize))));
    }
    return List.copyOf(frames);
  }
}
