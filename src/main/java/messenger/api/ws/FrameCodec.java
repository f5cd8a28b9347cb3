package messenger.api.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.UnicodeRules;
import messenger.api.BodyRules;
import messenger.api.ErrorText;
import messenger.api.http.Json;
import messenger.api.http.dto.Amendments;
import messenger.api.http.dto.Attachments;
import messenger.api.http.dto.Quotes;
import messenger.chat.Amendment;
import messenger.chat.Attachment;
import messenger.chat.Notice;
import messenger.delivery.InboxEntry;
import messenger.delivery.Outbound;
import messenger.delivery.SendPort;

/** JSON text frames to {@link ClientFrame}s and {@link Outbound}s to JSON text frames. */
final class FrameCodec {

  private final int maxBodyBytes;

  FrameCodec(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * @throws BadFrame with {@code bad_frame}, {@code unknown_type} or {@code too_large}
   */
  ClientFrame decode(String text) {
    JsonNode node;
    try {
      node = Json.tree(text);
    } catch (JsonProcessingException e) {
      throw new BadFrame(ErrorCode.BAD_FRAME, Rule.NOT_JSON, "frame", null);
    }
    if (node == null || !node.isObject()) {
      throw new BadFrame(ErrorCode.BAD_FRAME, Rule.NOT_OBJECT, "frame", null);
    }
    String textProblem = Json.textProblem(node);
    if (textProblem != null) {
      JsonNode ref = node.get("clientMsgId");
      boolean cleanRef =
          ref != null && ref.isTextual() && UnicodeRules.problem(ref.textValue()) == null;
      throw new BadFrame(
          ErrorCode.BAD_FRAME, Rule.TEXT_RULE, textProblem, cleanRef ? ref.textValue() : null);
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      throw new BadFrame(ErrorCode.BAD_FRAME, Rule.MUST_BE_STRING, "type", null);
    }
    return switch (type.asText()) {
      case "send" -> send(node);
      case "edit", "delete", "react" -> amend(type.asText(), node);
      case "ack" -> ack(node);
      case "sync" -> new ClientFrame.Sync(nonNegative(node, "after"));
      case "ping" -> new ClientFrame.Ping();
      case "pong" -> new ClientFrame.Pong();
      case "typing" -> new ClientFrame.Typing(conversationId(node, null));
      case "read" -> new ClientFrame.Read(conversationId(node, null), nonNegative(node, "seq"));
      default ->
          throw new BadFrame(ErrorCode.UNKNOWN_TYPE, Rule.UNKNOWN_FRAME_TYPE, type.asText(), null);
    };
  }

  private ClientFrame.Send send(JsonNode node) {
    String clientMsgId = text(node, "clientMsgId", null);
    String conversationId = text(node, "conversationId", clientMsgId);
    List<Attachment> attachments = attachments(node, clientMsgId);
    String body = attachments.isEmpty() || node.has("body") ? text(node, "body", clientMsgId) : "";
    try {
      BodyRules.requireClientMsgId(clientMsgId);
      BodyRules.requireBodyOrFiles(body, !attachments.isEmpty(), maxBodyBytes);
    } catch (DomainException e) {
      ErrorCode code = e.code() == ErrorCode.TOO_LARGE ? ErrorCode.TOO_LARGE : ErrorCode.BAD_FRAME;
      throw new BadFrame(code, e.detail().orElse(null), clientMsgId);
    }
    checkConversationId(conversationId, clientMsgId);
    return new ClientFrame.Send(
        clientMsgId,
        conversationId,
        new SendPort.Content(
            body, attachments, replyTo(node, clientMsgId), mentions(node, clientMsgId), null));
  }

  /** A send's optional {@code replyTo: {"seq": n}}. */
  private static Long replyTo(JsonNode node, String ref) {
    JsonNode reply = node.get("replyTo");
    if (reply == null || reply.isNull()) return null;
    if (!reply.isObject()) throw new BadFrame(ErrorCode.BAD_FRAME, Rule.REQUIRED, "replyTo", ref);
    return positive(reply, "seq", ref);
  }

  /** A send's optional {@code mentions}: user ids. */
  private static List<String> mentions(JsonNode node, String ref) {
    JsonNode list = node.get("mentions");
    if (list == null || list.isNull()) return List.of();
    List<String> ids = new java.util.ArrayList<>();
    if (list.isArray()) for (JsonNode id : list) ids.add(id.isTextual() ? id.textValue() : null);
    try {
      if (!list.isArray()) throw DomainException.of(ErrorCode.BAD_FRAME, Rule.USER_IDS, "mentions");
      return BodyRules.mentions(ids);
    } catch (DomainException e) {
      throw new BadFrame(ErrorCode.BAD_FRAME, e.detail().orElse(null), ref);
    }
  }

  /** An edit, deletion or reaction: answered like a send, with the seq of its own entry. */
  private ClientFrame.Amend amend(String type, JsonNode node) {
    String clientMsgId = text(node, "clientMsgId", null);
    String conversationId = text(node, "conversationId", clientMsgId);
    try {
      BodyRules.requireClientMsgId(clientMsgId);
    } catch (DomainException e) {
      throw new BadFrame(ErrorCode.BAD_FRAME, e.detail().orElse(null), clientMsgId);
    }
    checkConversationId(conversationId, clientMsgId);
    long seq = positive(node, "seq", clientMsgId);
    Amendment amendment =
        switch (type) {
          case "edit" -> Amendment.edit(seq, editedBody(node, clientMsgId));
          case "delete" -> Amendment.delete(seq);
          case "react" -> Amendment.reaction(seq, emoji(node, clientMsgId), on(node, clientMsgId));
          default -> throw new IllegalArgumentException("not an amendment frame: " + type);
        };
    return new ClientFrame.Amend(clientMsgId, conversationId, amendment);
  }

  private String editedBody(JsonNode node, String ref) {
    String body = text(node, "body", ref);
    try {
      BodyRules.requireBodyOrFiles(body, false, maxBodyBytes);
    } catch (DomainException e) {
      ErrorCode code = e.code() == ErrorCode.TOO_LARGE ? ErrorCode.TOO_LARGE : ErrorCode.BAD_FRAME;
      throw new BadFrame(code, e.detail().orElse(null), ref);
    }
    return body;
  }

  private static String emoji(JsonNode node, String ref) {
    String emoji = text(node, "emoji", ref);
    try {
      BodyRules.requireEmoji(emoji);
    } catch (DomainException e) {
      throw new BadFrame(ErrorCode.BAD_FRAME, e.detail().orElse(null), ref);
    }
    return emoji;
  }

  /** Put on unless the frame says {@code "on": false}. */
  private static boolean on(JsonNode node, String ref) {
    JsonNode on = node.get("on");
    if (on == null || on.isNull()) return true;
    if (!on.isBoolean()) throw new BadFrame(ErrorCode.BAD_FRAME, Rule.REQUIRED, "on", ref);
    return on.booleanValue();
  }

  private static long positive(JsonNode node, String field, String ref) {
    JsonNode value = node.get(field);
    if (value == null
        || !value.isIntegralNumber()
        || !value.canConvertToLong()
        || value.asLong() < 1) {
      throw new BadFrame(ErrorCode.BAD_FRAME, Rule.POSITIVE, field, ref);
    }
    return value.asLong();
  }

  /**
   * A send's optional {@code attachments}, as HTTP takes them; what they must be is checked later.
   */
  private static List<Attachment> attachments(JsonNode node, String ref) {
    JsonNode list = node.get("attachments");
    if (list == null || list.isNull()) return List.of();
    try {
      if (!list.isArray()) throw new IllegalArgumentException("not an array");
      return Attachments.fromWire(
          List.of(Json.MAPPER.treeToValue(list, Attachments.AttachmentJson[].class)));
    } catch (JsonProcessingException | IllegalArgumentException malformed) {
      throw new BadFrame(ErrorCode.BAD_FRAME, ErrorDetail.of(Rule.REQUIRED, "attachments"), ref);
    }
  }

  private static String conversationId(JsonNode node, String ref) {
    String id = text(node, "conversationId", ref);
    checkConversationId(id, ref);
    return id;
  }

  private static void checkConversationId(String conversationId, String ref) {
    if (conversationId.isEmpty() || conversationId.length() > 128) {
      throw new BadFrame(
          ErrorCode.BAD_FRAME, ErrorDetail.between(Rule.LENGTH, "conversationId", 1, 128), ref);
    }
  }

  /** {@code out} as {@code reader}'s device is sent it (reactions say whether the reader's). */
  String encode(String reader, Outbound out) {
    return Json.write(frame(out, reader));
  }

  // Outbound and Notice are sealed in other packages; FrameCodecTest walks their permitted
  // subclasses, so a new one fails that test instead of going out as something else.
  private static Object frame(Outbound out, String reader) {
    if (out instanceof Outbound.Messages messages) {
      return new ServerFrame.Messages(
          messages.items().stream()
              .map(entry -> item(entry, reader, messages.fromBlocked()))
              .toList());
    } else if (out instanceof Outbound.Sent sent) {
      return new ServerFrame.Sent(
          sent.clientMsgId(),
          sent.messageId(),
          sent.conversationId(),
          sent.seq(),
          sent.timestamp());
    } else if (out instanceof Outbound.SendRefused refused) {
      ErrorDetail detail = refused.detail();
      return new ServerFrame.Error(
          refused.code().wire(),
          ErrorText.onSocket(refused.code(), refused.conversationId(), detail),
          refused.clientMsgId(),
          detail == null ? null : detail.retryAfterMs());
    } else if (out instanceof Outbound.Failure failure) {
      return new ServerFrame.Error(
          failure.code().wire(),
          ErrorText.onSocket(failure.code(), failure.conversationId()),
          failure.ref());
    } else if (out instanceof Outbound.Ping) {
      return new ServerFrame.Ping();
    } else if (out instanceof Outbound.Pong) {
      return new ServerFrame.Pong();
    } else if (out instanceof Outbound.Told told) {
      return notice(told.notice());
    }
    throw new IllegalStateException("no frame for " + out.getClass().getName());
  }

  private static Object notice(Notice notice) {
    if (notice instanceof Notice.Typing t) {
      return new ServerFrame.Typing(t.conversationId(), t.userId());
    } else if (notice instanceof Notice.Receipt r) {
      return receipt(r);
    } else if (notice instanceof Notice.Receipts batch) {
      return new ServerFrame.ReceiptBatch(
          batch.receipts().stream().map(FrameCodec::receipt).toList());
    } else if (notice instanceof Notice.Presence p) {
      return new ServerFrame.Presence(p.userId(), p.online(), p.lastSeen());
    }
    throw new IllegalStateException("no frame for " + notice.getClass().getName());
  }

  private static ServerFrame.Receipt receipt(Notice.Receipt r) {
    return new ServerFrame.Receipt(
        r.conversationId(),
        r.userId(),
        r.kind().name().toLowerCase(java.util.Locale.ROOT),
        r.seq());
  }

  String encodeError(ErrorCode code, ErrorDetail detail, String ref) {
    return Json.write(new ServerFrame.Error(code.wire(), ErrorText.of(code, detail), ref));
  }

  private static ServerFrame.Item item(
      InboxEntry entry, String reader, java.util.Set<String> fromBlocked) {
    var m = entry.message();
    var later = m.later();
    return new ServerFrame.Item(
        entry.cursor(),
        m.messageId(),
        m.conversationId(),
        m.seq(),
        m.senderId(),
        m.body(),
        m.timestamp(),
        messenger.api.http.dto.SystemChanges.view(m.change()),
        Attachments.view(m.attachments()),
        Amendments.view(m.amendment()),
        later.editedAt(),
        Amendments.deleted(later),
        Amendments.reactions(later, reader),
        Quotes.view(m.quote()),
        Quotes.mentions(m.mentioned()),
        fromBlocked.contains(m.senderId()) ? Boolean.TRUE : null);
  }

  private static String text(JsonNode node, String field, String ref) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new BadFrame(ErrorCode.BAD_FRAME, Rule.MUST_BE_STRING, field, ref);
    }
    return value.asText();
  }

  /** The most conversations one ack may name: a device acks what it was sent, frame by frame. */
  static final int MAX_ACK_POSITIONS = 1000;

  /** {@code cursor}, {@code positions} or both (docs/protocol.md, "Acknowledging"). */
  private static ClientFrame.Ack ack(JsonNode node) {
    JsonNode positions = node.get("positions");
    if (positions == null) return new ClientFrame.Ack(nonNegative(node, "cursor"), Map.of());
    long cursor = node.has("cursor") ? nonNegative(node, "cursor") : 0;
    return new ClientFrame.Ack(cursor, positions(positions));
  }

  private static Map<String, Long> positions(JsonNode positions) {
    if (!positions.isObject() || positions.size() > MAX_ACK_POSITIONS) throw badPositions();
    Map<String, Long> seqs = new HashMap<>();
    for (var field : (Iterable<Map.Entry<String, JsonNode>>) positions::fields) {
      JsonNode seq = field.getValue();
      String id = field.getKey();
      if (id.isEmpty()
          || id.length() > 128
          || !seq.isIntegralNumber()
          || !seq.canConvertToLong()
          || seq.asLong() < 0) throw badPositions();
      seqs.put(id, seq.asLong());
    }
    return Map.copyOf(seqs);
  }

  private static BadFrame badPositions() {
    return new BadFrame(
        ErrorCode.BAD_FRAME,
        new ErrorDetail(Rule.POSITIONS, "positions", 0, MAX_ACK_POSITIONS),
        null);
  }

  private static long nonNegative(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null
        || !value.canConvertToLong()
        || !value.isIntegralNumber()
        || value.asLong() < 0) {
      throw new BadFrame(ErrorCode.BAD_FRAME, Rule.NON_NEGATIVE_INTEGER, field, null);
    }
    return value.asLong();
  }
}
