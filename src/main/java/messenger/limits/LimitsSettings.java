package messenger.limits;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code messenger.limits} block: abuse limits, each refused with {@code rate_limited}, and the
 * node's admission control (the send window, sends in flight refused with {@code overloaded}).
 *
 * @param conversationsPerHour new conversations a user may create per hour on one node
 * @param connectionsPerAddress open WebSockets per client address on one node
 * @param sendWindow unanswered sends one connection may have before it is read no further
 * @param nodeSendsInFlight sends in flight on one node before more are refused ({@code overloaded})
 * @param overloadedRetryAfter the least wait an {@code overloaded} send is told
 */
public record LimitsSettings(
    SendLimits.Settings sends,
    LoginThrottle.Settings logins,
    int conversationsPerHour,
    int connectionsPerAddress,
    int sendWindow,
    int nodeSendsInFlight,
    Duration overloadedRetryAfter) {

  public static LimitsSettings create(Config root) {
    Config c = root.getConfig("messenger.limits");
    return new LimitsSettings(
        SendLimits.Settings.fromConfig(c),
        LoginThrottle.Settings.fromConfig(c),
        c.getInt("conversations-per-hour-per-user"),
        c.getInt("connections-per-address"),
        c.getInt("send-window"),
        c.getInt("node-sends-in-flight"),
        c.getDuration("overloaded-retry-after"));
  }
}
