package messenger.delivery;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import messenger.CborSerializable;

/**
 * What the inbox keeps of one device beyond its cursor: the label its client gave, when it was last
 * connected, and the tokens it connected with (so that logging the device out can revoke them).
 *
 * @param client the client's label (e.g. "Firefox on Linux"), or null if it gave none
 * @param lastSeen when its last connection ended; null while it has never ended
 * @param tokens the ids of the unexpired tokens it connected with, with when each expires
 */
public record DeviceRecord(String client, Instant lastSeen, Map<String, Instant> tokens)
    implements CborSerializable {

  /** A device that signs in with ever new tokens keeps this many; older ones have expired. */
  static final int MAX_TOKENS = 8;

  public DeviceRecord {
    tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
  }

  static final DeviceRecord NONE = new DeviceRecord(null, null, Map.of());

  /** Whether connecting with this token and label would change nothing worth writing. */
  boolean knows(String tokenId, String label) {
    return java.util.Objects.equals(client, label)
        && (tokenId == null || tokens.containsKey(tokenId));
  }

  /**
   * The device connected with {@code tokenId}: expired tokens are dropped, and beyond {@link
   * #MAX_TOKENS} the ones that expire first.
   */
  DeviceRecord signedIn(String label, String tokenId, Instant expiresAt, Instant now) {
    Map<String, Instant> live = new LinkedHashMap<>();
    tokens.forEach(
        (id, expiry) -> {
          if (expiry.isAfter(now)) live.put(id, expiry);
        });
    if (tokenId != null) live.put(tokenId, expiresAt);
    while (live.size() > MAX_TOKENS) {
      live.entrySet().stream()
          .min(Map.Entry.comparingByValue(Comparator.naturalOrder()))
          .ifPresent(oldest -> live.remove(oldest.getKey()));
    }
    return new DeviceRecord(label, lastSeen, live);
  }

  DeviceRecord left(Instant at) {
    return new DeviceRecord(client, at, tokens);
  }
}
