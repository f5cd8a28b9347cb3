package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EndpointGuardTest {
  private final EndpointGuard guard = new EndpointGuard(Runnable::run);

  @Test
  void addressesOfMachinesAndPrivateNetworksAreInternal() throws Exception {
    for (String internal :
        List.of(
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "ff02::1")) {
      assertTrue(EndpointGuard.isInternal(InetAddress.getByName(internal)), internal);
    }
  }

  @Test
  void publicAddressesAreNotInternal() throws Exception {
    for (String external :
        List.of(
            "8.8.8.8",
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "192.169.0.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8")) {
      assertFalse(EndpointGuard.isInternal(InetAddress.getByName(external)), external);
    }
  }

  @Test
  void endpointsOnInternalHostsAreRefusedAndPublicOnesPass() {
    assertTrue(problem("http://127.0.0.1:8080/push").contains("internal address"));
    assertTrue(problem("https://[::1]/push").contains("internal address"));
    assertTrue(problem("https://localhost/push").contains("internal address"));
    assertTrue(problem("http://169.254.169.254/latest/meta-data/").contains("internal address"));
    assertNull(problem("https://8.8.8.8/push"));
    assertNull(problem("https://[2606:4700:4700::1111]/push"));
  }

  @Test
  void aGuardedProviderSendsOnlyToEndpointsTheGuardLetsThrough() {
    AtomicInteger sent = new AtomicInteger();
    PushProvider inner =
        (subscription, notification, topic, ttl) -> {
          sent.incrementAndGet();
          return CompletableFuture.completedFuture(new PushOutcome.Delivered());
        };
    PushProvider guarded = new GuardedProvider(inner, guard);
    Notification notification = new Notification("c-1", 1, "hi", "alice", 1);

    PushOutcome refused =
        guarded
            .send(
                PushSubscription.of(PushKind.UNIFIED_PUSH, "http://10.0.0.5/up", null, null),
                notification,
                null,
                Duration.ofMinutes(1))
            .toCompletableFuture()
            .join();
    assertTrue(refused instanceof PushOutcome.Rejected, refused::toString);
    assertEquals(0, sent.get());

    PushOutcome delivered =
        guarded
            .send(
                PushSubscription.of(PushKind.UNIFIED_PUSH, "https://8.8.8.8/up", null, null),
                notification,
                null,
                Duration.ofMinutes(1))
            .toCompletableFuture()
            .join();
    assertTrue(delivered instanceof PushOutcome.Delivered, delivered::toString);
    assertEquals(1, sent.get());
  }

  private String problem(String endpoint) {
    String problem = guard.check(endpoint).toCompletableFuture().join();
    return problem;
  }
}
