package messenger.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group fan-out: {@code groups} groups of {@code group.size} members, every member's device
 * connected. In each group the first {@code senders} members send {@code messages} messages each,
 * one every {@code paceMs}, once every other member is connected; "send until sent" is the time to
 * the server's durable acknowledgement. Every other member's device is a receiver: it takes the
 * time a message arrived (Gatling's receive timestamp) minus the send time the sender wrote into
 * the body. Those end-to-end latencies, and how many of the expected deliveries arrived, are
 * printed at the end of the run ("fan-out delivery"), since a receiver sends nothing Gatling
 * could time.
 *
 * <p>{@code ./mvnw -f load-tests/pom.xml gatling:test -Dgatling.simulationClass=messenger.load.GroupFanoutSimulation
 * -DbaseUrl=http://127.0.0.1:8080 -Dadmin.token=... -Dgroup.size=100 -Dsenders=5 -Dmessages=20 -DpaceMs=1000}
 */
public class GroupFanoutSimulation extends Simulation {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BODY_PREFIX = "fanout ";
  /** After the last send, how long receivers wait for what is still missing. */
  private static final long GRACE_MILLIS = 30_000;

  private final String baseUrl = System.getProperty("baseUrl", "http://127.0.0.1:8080");
  private final int groupSize = Integer.getInteger("group.size", 10);
  private final int groups = Integer.getInteger("groups", 1);
  private final int senders = Integer.getInteger("senders", Math.min(5, groupSize - 1));
  private final int messages = Integer.getInteger("messages", 20);
  private final int paceMs = Integer.getInteger("paceMs", 1000);

  private final int receiversTotal = groups * (groupSize - senders);
  private final int expectedPerReceiver = senders * messages;
  private final AtomicInteger receiversConnected = new AtomicInteger();
  private final AtomicInteger sendersRunning = new AtomicInteger(groups * senders);
  private final AtomicLong lastSendDoneMillis = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong deliveries = new AtomicLong();
  private final LatencyLog latencies = new LatencyLog();

  private final HttpProtocolBuilder protocol =
      http.baseUrl(baseUrl)
          .wsBaseUrl(baseUrl.replaceFirst("^http", "ws"))
          .wsAutoReplyTextFrame(text -> text.contains("\"type\":\"ping\"") ? "{\"type\":\"pong\"}" : null)
          // Frames no check waits for are kept for processUnmatchedMessages, drained twice a second.
          .wsUnmatchedInboundMessageBufferSize(10_000);

  private final List<Map<String, Object>> senderFeed = new ArrayList<>();
  private final List<Map<String, Object>> receiverFeed = new ArrayList<>();

  {
    Provisioning provisioning = new Provisioning(baseUrl);
    List<Provisioning.User> users = provisioning.users(groups * groupSize);
    for (int g = 0; g < groups; g++) {
      List<Provisioning.User> members = users.subList(g * groupSize, (g + 1) * groupSize);
      String conversationId = provisioning.group(members);
      for (int m = 0; m < groupSize; m++) {
        Map<String, Object> entry = Map.of("token", members.get(m).token(), "conversationId", conversationId);
        (m < senders ? senderFeed : receiverFeed).add(entry);
      }
    }
  }

  private final ScenarioBuilder send =
      scenario("senders")
          .feed(listFeeder(senderFeed).queue())
          .exec(ws("connect sender").connect("/api/v1/ws?deviceId=load-sender&access_token=#{token}"))
          .asLongAs(session -> receiversConnected.get() < receiversTotal)
          .on(pause(Duration.ofMillis(200)))
          .repeat(messages, "i")
          .on(
              pace(Duration.ofMillis(paceMs))
                  .exec(
                      session ->
                          session
                              .set("uniq", UUID.randomUUID().toString())
                              .set("sentAt", System.currentTimeMillis()))
                  .exec(
                      ws("send until sent")
                          .sendText(
                              "{\"type\":\"send\",\"conversationId\":\"#{conversationId}\","
                                  + "\"clientMsgId\":\"#{uniq}\",\"body\":\"" + BODY_PREFIX + "#{sentAt} #{uniq}\"}")
                          .await(30)
                          .on(ws.checkTextMessage("sent").matching(substring("\"clientMsgId\":\"#{uniq}\"")))))
          .exec(
              session -> {
                if (sendersRunning.decrementAndGet() == 0) lastSendDoneMillis.set(System.currentTimeMillis());
                return session;
              })
          .exec(ws("close sender").close());

  private final ScenarioBuilder receive =
      scenario("receivers")
          .feed(listFeeder(receiverFeed).queue())
          .exec(
              session ->
                  session
                      .set("received", 0)
                      .set("cursor", 0L)
                      .set("acked", 0L)
                      .set("seen", new HashSet<String>()))
          .exec(ws("connect member").connect("/api/v1/ws?deviceId=load-member&access_token=#{token}"))
          .exec(
              session -> {
                receiversConnected.incrementAndGet();
                return session;
              })
          .asLongAs(this::stillWaiting)
          .on(
              pause(Duration.ofMillis(500))
                  .exec(ws.processUnmatchedMessages(this::take))
                  // Acks are batched as a client would: the newest cursor, at most twice a second.
                  .doIf(session -> session.getLong("cursor") > session.getLong("acked"))
                  .then(
                      exec(ws("ack").sendText("{\"type\":\"ack\",\"cursor\":#{cursor}}"))
                          .exec(session -> session.set("acked", session.getLong("cursor")))))
          .exec(ws("close member").close());

  private boolean stillWaiting(Session session) {
    long sendsDone = lastSendDoneMillis.get();
    return session.getInt("received") < expectedPerReceiver
        && (sendsDone == Long.MAX_VALUE || System.currentTimeMillis() < sendsDone + GRACE_MILLIS);
  }

  /** Counts this device's new fan-out messages and records their latency. */
  private Session take(List<WsInboundMessage> inbound, Session session) {
    int received = session.getInt("received");
    long cursor = session.getLong("cursor");
    Set<String> seen = session.get("seen");
    for (WsInboundMessage message : inbound) {
      if (!(message instanceof WsInboundMessage.Text text)) continue;
      JsonNode frame = parse(text.message());
      if (!"messages".equals(frame.path("type").asText())) continue;
      for (JsonNode item : frame.path("items")) {
        // A repeat is known by its messageId, as docs/protocol.md asks, never by its cursor.
        if (!seen.add(item.path("messageId").asText())) continue;
        cursor = item.path("cursor").asLong();
        String body = item.path("body").asText();
        if (!body.startsWith(BODY_PREFIX)) continue;
        long sentAt = Long.parseLong(body.substring(BODY_PREFIX.length(), body.indexOf(' ', BODY_PREFIX.length())));
        latencies.add(text.timestamp() - sentAt);
        deliveries.incrementAndGet();
        received++;
      }
    }
    return session.set("received", received).set("cursor", cursor);
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + text, e);
    }
  }

  @Override
  public void after() {
    long expected = (long) receiversTotal * expectedPerReceiver;
    System.out.printf(
        "fan-out delivery: %d groups of %d, %d senders x %d messages each; %d of %d deliveries arrived%n"
            + "fan-out send->receive latency: %s%n",
        groups, groupSize, senders, messages, deliveries.get(), expected, latencies.summary());
  }

  {
    setUp(
            receive.injectOpen(atOnceUsers(receiversTotal)),
            send.injectOpen(atOnceUsers(groups * senders)))
        .protocols(protocol)
        // A run whose receivers never all connect would otherwise wait for ever.
        .maxDuration(Duration.ofSeconds(300 + (long) messages * paceMs / 1000));
  }
}
