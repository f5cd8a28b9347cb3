package messenger.limits;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Open WebSockets per client address, so one address cannot hold a node's connections (or its
 * memory: ~58 KiB each). Per node. Addresses behind one NAT share the bound, so it is set well
 * above what one household or office needs.
 */
public final class AddressConnections {

  private final int max;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  public AddressConnections(int max) {
    this.max = max;
  }

  /** Counts a new connection from {@code address} unless it has {@code max} open; null: unknown. */
  public boolean tryOpen(String address) {
    if (address == null) return true;
    boolean[] taken = {false};
    open.compute(
        address,
        (a, count) -> {
          int now = count == null ? 0 : count;
          if (now >= max) return count;
          taken[0] = true;
          return now + 1;
        });
    return taken[0];
  }

  public void closed(String address) {
    if (address == null) return;
    open.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
  }

  int openFrom(String address) {
    return open.getOrDefault(address, 0);
  }
}
