package messenger.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.Map;

/**
 * Offline catch-up: a recipient's device is away while {@code missed} messages arrive, then comes
 * back. The request Gatling times, "caught up", runs from the device's connect until the last
 * missed message has arrived (they come in frames of at most 100).
 *
 * <p>{@code ./mvnw -f load-tests/pom.xml gatling:test -Dgatling.simulationClass=messenger.load.CatchUpSimulation
 * -DbaseUrl=http://127.0.0.1:8080 -Dmissed=10000}
 */
public class CatchUpSimulation extends Simulation {

  private final String baseUrl = System.getProperty("baseUrl", "http://127.0.0.1:8080");
  private final int missed = Integer.getInteger("missed", 10_000);
  private final int window = 50;

  private final HttpProtocolBuilder protocol =
      http.baseUrl(baseUrl).wsBaseUrl(baseUrl.replaceFirst("^http", "ws"));

  private final Map<String, Object> pair = new Provisioning(baseUrl).directPairs(1).get(0);

  private final ScenarioBuilder catchUp =
      scenario("offline catch-up")
          .exec(session -> session.setAll(pair))
          .exec(ws("connect sender").wsName("a").connect("/api/v1/ws?deviceId=load-a&access_token=#{tokenA}"))
          // The sender sends in windows of 50 and waits for each window's last acknowledgement
          // (the conversation answers in order, so then the whole window is stored).
          .repeat(missed / window, "w")
          .on(
              repeat(window - 1, "i")
                  .on(
                      exec(
                          ws("send")
                              .wsName("a")
                              .sendText(
                                  "{\"type\":\"send\",\"conversationId\":\"#{conversationId}\","
                                      + "\"clientMsgId\":\"m-#{w}-#{i}\",\"body\":\"missed\"}")))
                  .exec(
                      ws("send last of window")
                          .wsName("a")
                          .sendText(
                              "{\"type\":\"send\",\"conversationId\":\"#{conversationId}\","
                                  + "\"clientMsgId\":\"m-#{w}-last\",\"body\":\"missed\"}")
                          .await(60)
                          .on(
                              ws.checkTextMessage("window stored")
                                  .matching(substring("\"clientMsgId\":\"m-#{w}-last\"")))))
          .exec(ws("close sender").wsName("a").close())
          .exec(
              ws("caught up")
                  .wsName("b")
                  .connect("/api/v1/ws?deviceId=load-b&access_token=#{tokenB}")
                  .await(120)
                  .on(
                      ws.checkTextMessage("last missed message")
                          .matching(substring("\"seq\":" + missed + ","))))
          .exec(ws("close recipient").wsName("b").close());

  {
    setUp(catchUp.injectOpen(atOnceUsers(1))).protocols(protocol);
  }
}
