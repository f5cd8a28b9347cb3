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
    int maxPersistBatch) {

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
        chat.getInt("max-persist-batch"));
  }
}
