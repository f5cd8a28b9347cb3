package messenger.limits;

import com.typesafe.config.Config;

/**
 * The {@code messenger.limits} block: abuse limits, each refused with {@code rate_limited}.
 *
 * @param conversationsPerHour new conversations a user may create per hour on one node
 * @param connectionsPerAddress open WebSockets per client address on one node
 */
public record LimitsSettings(
    SendLimits.Settings sends,
    LoginThrottle.Settings logins,
    int conversationsPerHour,
    int connectionsPerAddress) {

  public static LimitsSettings create(Config root) {
    Config c = root.getConfig("messenger.limits");
    return new LimitsSettings(
        SendLimits.Settings.fromConfig(c),
        LoginThrottle.Settings.fromConfig(c),
        c.getInt("conversations-per-hour-per-user"),
        c.getInt("connections-per-address"));
  }
}
