package messenger;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code messenger.http} block. */
public record HttpSettings(String iface, int port, Duration askTimeout, int maxBodyBytes) {

  public static HttpSettings create(Config root) {
    Config c = root.getConfig("messenger.http");
    return new HttpSettings(
        c.getString("interface"),
        c.getInt("port"),
        c.getDuration("ask-timeout"),
        c.getInt("max-body-bytes"));
  }
}
