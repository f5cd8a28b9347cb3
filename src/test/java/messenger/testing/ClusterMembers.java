package messenger.testing;

import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import java.util.stream.StreamSupport;
import messenger.MessengerNode;

/** What a test node sees of its cluster. */
public final class ClusterMembers {
  private ClusterMembers() {}

  /** How many members {@code node} sees as up. */
  public static long up(MessengerNode node) {
    return StreamSupport.stream(
            Cluster.get(node.system()).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .count();
  }
}
