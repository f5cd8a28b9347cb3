package messenger.app;

import java.util.Map;
import messenger.chat.ChatMessage;
import messenger.chat.ReceiptBook;
import messenger.chat.Roster;

/**
 * How many of the other members have received and read a message, counted from their receipt
 * markers (a marker at seq n covers every message up to n). Members who joined after the message
 * never had it and are not counted; neither is its sender.
 */
record ReceiptTally(Roster roster, Map<String, ReceiptBook.Marker> markers) {

  /**
   * @param of the other members who had the message
   */
  record Count(int deliveredTo, int readBy, int of) {}

  Count of(ChatMessage message) {
    int delivered = 0;
    int read = 0;
    int of = 0;
    for (Map.Entry<String, Long> member : roster.joinedSeqs().entrySet()) {
      if (member.getKey().equals(message.senderId()) || member.getValue() > message.seq()) continue;
      of++;
      ReceiptBook.Marker marker = markers.get(member.getKey());
      if (marker == null) continue;
      if (Math.max(marker.delivered(), marker.read()) >= message.seq()) delivered++;
      if (marker.read() >= message.seq()) read++;
    }
    return new Count(delivered, read, of);
  }
}
