package messenger.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import messenger.CborSerializable;

/**
 * A conversation's recent answers by (sender, clientMsgId), so a client's retry gets the original
 * answer: at least the newest {@code limit} of them are kept, oldest dropped first.
 *
 * <p>Immutable, as state must be, but cheap to grow: the answers sit in chunks of at most {@link
 * #chunkSize}, and adding one copies only the newest chunk and the list of chunks. Copying a whole
 * 1,000-entry map per message, as a single map would, cost more than the rest of the event handler
 * at a few thousand messages a second.
 */
public record DedupWindow(List<Map<String, Conversation.Posted>> chunks)
    implements CborSerializable {

  private static final int MAX_CHUNK = 64;

  public static DedupWindow empty() {
    return new DedupWindow(List.of());
  }

  public Conversation.Posted get(String senderId, String clientMsgId) {
    String key = key(senderId, clientMsgId);
    for (int i = chunks.size() - 1; i >= 0; i--) {
      Conversation.Posted answer = chunks.get(i).get(key);
      if (answer != null) return answer;
    }
    return null;
  }

  public DedupWindow with(
      String senderId, String clientMsgId, Conversation.Posted answer, int limit) {
    int chunkSize = chunkSize(limit);
    List<Map<String, Conversation.Posted>> next = new ArrayList<>(chunks);
    Map<String, Conversation.Posted> newest = next.isEmpty() ? null : next.get(next.size() - 1);
    if (newest == null || newest.size() >= chunkSize) {
      next.add(Map.of(key(senderId, clientMsgId), answer));
    } else {
      var grown = new HashMap<>(newest);
      grown.put(key(senderId, clientMsgId), answer);
      next.set(next.size() - 1, Map.copyOf(grown));
    }
    int size = next.stream().mapToInt(Map::size).sum();
    while (size - next.get(0).size() >= limit) size -= next.remove(0).size();
    return new DedupWindow(List.copyOf(next));
  }

  public int size() {
    return chunks.stream().mapToInt(Map::size).sum();
  }

  /** About sixteen chunks: small windows stay exact, large ones copy little per answer. */
  static int chunkSize(int limit) {
    return Math.max(1, Math.min(MAX_CHUNK, limit / 16));
  }

  private static String key(String senderId, String clientMsgId) {
    return senderId + '\n' + clientMsgId;
  }
}
