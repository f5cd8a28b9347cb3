package messenger.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Connection storm and hold: {@code connections} devices ({@code devicesPerUser} per user, at most
 * the server's 5) connect over {@code rampSeconds}, answer every heartbeat ping with a pong, and
 * all stay connected together for {@code holdSeconds} after the ramp. "connect" is the WebSocket
 * upgrade's time; "still connected" sends a ping at the end of the hold and waits for the pong, so
 * its failures are connections the server closed during the hold (or that no longer answer).
 * Sample the server's heap during the hold (docs/benchmarks.md shows how).
 *
 * <p>{@code ./mvnw -f load-tests/pom.xml gatling:test -Dgatling.simulationClass=messenger.load.ConnectionHoldSimulation
 * -DbaseUrl=http://127.0.0.1:8080 -Dadmin.token=... -Dconnections=20000 -DrampSeconds=120 -DholdSeconds=60}
 */
public class ConnectionHoldSimulation extends Simulation {

  private final String baseUrl = System.getProperty("baseUrl", "http://127.0.0.1:8080");
  private final int connections = Integer.getInteger("connections", 1000);
  private final int devicesPerUser = Integer.getInteger("devicesPerUser", 5);
  private final int rampSeconds = Integer.getInteger("rampSeconds", 60);
  private final int holdSeconds = Integer.getInteger("holdSeconds", 60);

  private final HttpProtocolBuilder protocol =
      http.baseUrl(baseUrl)
          .wsBaseUrl(baseUrl.replaceFirst("^http", "ws"))
          // The server closes a connection it has not heard from for 30 s; a real client pongs.
          .wsAutoReplyTextFrame(text -> text.contains("\"type\":\"ping\"") ? "{\"type\":\"pong\"}" : null);

  private final ScenarioBuilder hold =
      scenario("connect and hold")
          .feed(listFeeder(devices()).queue())
          .exec(ws("connect").connect("/api/v1/ws?deviceId=#{deviceId}&access_token=#{token}"))
          // Each device stays ramp + hold after its own connect: all are connected together for
          // the hold, and the closing probe is spread like the ramp instead of one burst.
          .pause(Duration.ofSeconds(rampSeconds + holdSeconds))
          .exec(
              ws("still connected")
                  .sendText("{\"type\":\"ping\"}")
                  .await(60)
                  .on(ws.checkTextMessage("pong").matching(substring("\"type\":\"pong\""))))
          .exec(ws("close").close());

  /**
   * One entry per connection. Consecutive connections belong to different users, so the ramp
   * spreads over all users' inboxes instead of filling one user's five devices at a time.
   */
  private List<Map<String, Object>> devices() {
    int userCount = (connections + devicesPerUser - 1) / devicesPerUser;
    List<Provisioning.User> users = new Provisioning(baseUrl).users(userCount);
    List<Map<String, Object>> devices = new ArrayList<>(connections);
    for (int i = 0; i < connections; i++) {
      Provisioning.User user = users.get(i % userCount);
      devices.add(Map.of("token", user.token(), "deviceId", "hold-" + (i / userCount)));
    }
    return devices;
  }

  {
    setUp(hold.injectOpen(rampUsers(connections).during(Duration.ofSeconds(rampSeconds))))
        .protocols(protocol);
  }
}
