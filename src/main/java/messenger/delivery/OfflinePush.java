package messenger.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import messenger.chat.ChatMessage;
import messenger.chat.SystemChange;
import messenger.push.Notification;
import messenger.push.PushSubscription;

/** Which of a user's devices hear of newly appended entries by push, and what they are told. */
final class OfflinePush {

  /** One notification for one device's push endpoint. */
  record Push(String deviceId, PushSubscription subscription, Notification notification) {}

  private OfflinePush() {}

  /**
   * The entry a notification is about: the last that is not an amendment (edits, deletions and
   * reactions never push, and must not hide a message before them in the same delivery).
   */
  static Optional<ChatMessage> latestNews(List<ChatMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (!messages.get(i).isAmendmentEntry()) return Optional.of(messages.get(i));
    }
    return Optional.empty();
  }

  /**
   * The last of {@code messages} whose sender the user does not block: a message of a blocked user
   * never pushes (the user's devices get it, flagged, when they connect), nor hides one before it.
   */
  static Optional<ChatMessage> latestFrom(List<ChatMessage> messages, Set<String> blocked) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (!blocked.contains(messages.get(i).senderId())) return Optional.of(messages.get(i));
    }
    return Optional.empty();
  }

  /** {@code messages} without those of senders the user blocks. */
  static List<ChatMessage> notFrom(List<ChatMessage> messages, Set<String> blocked) {
    if (blocked.isEmpty()) return messages;
    return messages.stream().filter(m -> !blocked.contains(m.senderId())).toList();
  }

  /**
   * Own messages (sent from another device) and membership changes are no news, being added to a
   * group is; a muted conversation (unless the message mentions the user), or one with nothing
   * unread, is not pushed. Connected devices got the entries already; a device with previews off
   * gets no text.
   *
   * @param endpoints the user's push endpoints by device
   * @param summary the conversation after the messages were heard of
   * @param latest the last of the messages
   * @param connected the devices that are connected now
   */
  static List<Push> notifications(
      String userId,
      Map<String, PushRegistration> endpoints,
      ConversationSummary summary,
      ChatMessage latest,
      Set<String> connected) {
    if (endpoints.isEmpty()) return List.of();
    boolean addedMe =
        latest.isSystem()
            && latest.change().kind() == SystemChange.Kind.MEMBER_ADDED
            && userId.equals(latest.change().userId());
    if (!addedMe && (latest.senderId().equals(userId) || !latest.isUserMessage())) {
      return List.of();
    }
    // A mention pushes even from a muted conversation: it is addressed to the user.
    boolean mutedForThis =
        summary != null && summary.muted() && !latest.mentioned().contains(userId);
    if (summary == null || mutedForThis || (!addedMe && summary.unread() == 0)) {
      return List.of();
    }
    String preview =
        addedMe
            ? "You were added to \u201C" + summary.info().title() + "\u201D"
            : summary.last().preview();
    List<Push> pushes = new ArrayList<>();
    endpoints.forEach(
        (deviceId, registration) -> {
          if (connected.contains(deviceId)) return;
          var notification =
              new Notification(
                  summary.info().conversationId(),
                  summary.unread(),
                  registration.previews() ? preview : null,
                  null,
                  summary.lastSeq());
          pushes.add(new Push(deviceId, registration.subscription(), notification));
        });
    return pushes;
  }
}
