package messenger.chat;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code messenger.chat} block, plus the batch size shared with delivery. */
public record ChatSettings(
    int dedupWindow,
    Duration fanoutRetryInterval,
    Duration idlePassivation,
    int fanoutBatchSize,
    int fanoutMaxInFlight,
    int maxGroupSize,
    Duration typingInterval,
    int presenceMaxGroup,
    int maxPersistBatch,
    AmendmentRules amendments) {

  /** 48 hours to edit, and the reactions most chat apps offer. */
  public static final AmendmentRules DEFAULT_AMENDMENTS =
      new AmendmentRules(
          Duration.ofHours(48),
          java.util.List.of(
              "\uD83D\uDC4D",
              "\u2764\uFE0F",
              "\uD83D\uDE02",
              "\uD83D\uDE2E",
              "\uD83D\uDE22",
              "\uD83D\uDE4F"));

  public ChatSettings(
      int dedupWindow,
      Duration fanoutRetryInterval,
      Duration idlePassivation,
      int fanoutBatchSize,
      int fanoutMaxInFlight,
      int maxGroupSize,
      Duration typingInterval,
      int presenceMaxGroup,
      int maxPersistBatch) {
    this(
        dedupWindow,
        fanoutRetryInterval,
        idlePassivation,
        fanoutBatchSize,
        fanoutMaxInFlight,
        maxGroupSize,
        typingInterval,
        presenceMaxGroup,
        maxPersistBatch,
        DEFAULT_AMENDMENTS);
  }

  public ChatSettings(
      int dedupWindow,
      Duration fanoutRetryInterval,
      Duration idlePassivation,
      int fanoutBatchSize,
      int fanoutMaxInFlight,
      int maxGroupSize) {
    this(
        dedupWindow,
        fanoutRetryInterval,
        idlePassivation,
        fanoutBatchSize,
        fanoutMaxInFlight,
        maxGroupSize,
        Duration.ofSeconds(3),
        50,
        100);
  }

  public static ChatSettings create(Config root) {
    Config chat = root.getConfig("messenger.chat");
    return new ChatSettings(
        chat.getInt("dedup-window"),
        chat.getDuration("fanout-retry-interval"),
        chat.getDuration("idle-passivation"),
        root.getInt("messenger.delivery.message-batch-size"),
        chat.getInt("fanout-max-in-flight"),
        chat.getInt("max-group-size"),
        chat.getDuration("typing-interval"),
        chat.getInt("presence-max-group"),
        chat.getInt("max-persist-batch"),
        new AmendmentRules(chat.getDuration("edit-window"), chat.getStringList("reactions")));
  }
}
