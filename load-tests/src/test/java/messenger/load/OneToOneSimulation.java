package messenger.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.UUID;

/**
 * Steady 1:1 traffic: each virtual user is a pair of users with a direct conversation, both
 * connected over WebSockets. The sender sends a message every {@code paceMs}; the request Gatling
 * times is "send until the message comes back on the sender's device": persisted by the
 * conversation, appended to the sender's inbox and pushed, the same path the recipient's copy takes
 * in parallel. The recipient's device takes its copy too (and answers heartbeats).
 *
 * <p>{@code ./mvnw -f load-tests/pom.xml gatling:test -Dgatling.simulationClass=messenger.load.OneToOneSimulation
 * -DbaseUrl=http://127.0.0.1:8080 -Dpairs=20 -Dmessages=300 -DpaceMs=100}
 */
public class OneToOneSimulation extends Simulation {

  private final String baseUrl = System.getProperty("baseUrl", "http://127.0.0.1:8080");
  private final int pairs = Integer.getInteger("pairs", 20);
  private final int messages = Integer.getInteger("messages", 300);
  private final int paceMs = Integer.getInteger("paceMs", 100);

  private final HttpProtocolBuilder protocol =
      http.baseUrl(baseUrl).wsBaseUrl(baseUrl.replaceFirst("^http", "ws"));

  private final ScenarioBuilder steady =
      scenario("1:1 steady traffic")
          .feed(listFeeder(new Provisioning(baseUrl).directPairs(pairs)).queue())
          .exec(ws("connect sender").wsName("a").connect("/api/v1/ws?deviceId=load-a&access_token=#{tokenA}"))
          .exec(ws("connect recipient").wsName("b").connect("/api/v1/ws?deviceId=load-b&access_token=#{tokenB}"))
          .repeat(messages)
          .on(
              pace(Duration.ofMillis(paceMs))
                  .exec(session -> session.set("uniq", UUID.randomUUID().toString()))
                  .exec(
                      ws("send until delivered")
                          .wsName("a")
                          .sendText(
                              "{\"type\":\"send\",\"conversationId\":\"#{conversationId}\","
                                  + "\"clientMsgId\":\"#{uniq}\",\"body\":\"#{uniq}\"}")
                          .await(10)
                          .on(
                              ws.checkTextMessage("delivered")
                                  .matching(substring("\"body\":\"#{uniq}\""))))
                  // Any frame is a sign of life; the recipient only reads, so it says so.
                  .exec(ws("recipient heartbeat").wsName("b").sendText("{\"type\":\"pong\"}")))
          .exec(ws("close sender").wsName("a").close())
          .exec(ws("close recipient").wsName("b").close());

  {
    setUp(steady.injectOpen(atOnceUsers(pairs))).protocols(protocol);
  }
}
