package messenger.delivery;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code messenger.delivery} block: the design's delivery contract. */
public record DeliverySettings(
    Duration connectionTimeout,
    int maxConnectionsPerUser,
    Duration heartbeatInterval,
    int batchSize,
    int outgoingBufferFrames,
    long outgoingBufferBytes,
    Duration drainTimeout,
    Duration presenceGrace,
    Duration ackFlushInterval) {

  public static DeliverySettings create(Config root) {
    Config c = root.getConfig("messenger.delivery");
    return new DeliverySettings(
        c.getDuration("websocket-connection-timeout"),
        c.getInt("max-concurrent-connections-per-user"),
        c.getDuration("heartbeat-interval"),
        c.getInt("message-batch-size"),
        c.getInt("outgoing-buffer-frames"),
        c.getBytes("outgoing-buffer-bytes"),
        c.getDuration("drain-timeout"),
        c.getDuration("presence-grace"),
        c.getDuration("ack-flush-interval"));
  }
}
