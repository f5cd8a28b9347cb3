package messenger.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the two files the embedded Cassandra reads at start: its {@code cassandra.yaml} (a single
 * node, or one node of a loopback ring) and a {@code logback.xml}. Both are rewritten at every
 * start so they always match the settings; everything Cassandra stores lives under the data
 * directory.
 */
final class CassandraConfigFiles {

  private CassandraConfigFiles() {}

  /** Writes {@code <dataDir>/cassandra.yaml} and returns its path. {@code dataDir} is absolute. */
  static Path writeYaml(
      Path dataDir,
      int nativePort,
      int storagePort,
      CassandraLauncher.Ring ring,
      CommitLogSync commitLogSync)
      throws IOException {
    String seeds =
        String.join(",", ring.seeds().stream().map(seed -> seed + ":" + storagePort).toList());
    String yaml =
        """
        # Written by messenger.storage.CassandraLauncher at every start: edits here are lost.
        cluster_name: 'messenger-embedded'

        # One token per node, fixed: a lone node owns the whole ring; the nodes of a loopback ring
        # get tokens that split it evenly. Nodes never join a running ring (they all start
        # together, or restart with their data), so nothing bootstraps: streaming data to a new
        # node would take longer than the whole start.
        num_tokens: 1
        initial_token: '%9$s'
        auto_bootstrap: false
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        endpoint_snitch: SimpleSnitch

        # A new node with nothing written by 4.x to read: no need to stay 4.x-compatible.
        storage_compatibility_mode: NONE

        authenticator:
          class_name: org.apache.cassandra.auth.AllowAllAuthenticator
        authorizer:
          class_name: org.apache.cassandra.auth.AllowAllAuthorizer

        data_file_directories:
          - %1$s
        commitlog_directory: %2$s
        saved_caches_directory: %3$s
        hints_directory: %4$s
        cdc_raw_directory: %5$s

        # Loopback only: the embedded node is for this machine's server, never for the network.
        listen_address: %8$s
        rpc_address: %8$s
        native_transport_port: %6$d
        storage_port: %7$d
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "%10$s"

        # Sized for a small machine shared with the server's JVM (docs/embedded-cassandra.md,
        # "Tuning"). Trie memtables with their cells off the heap: a memtable costs the 512 MiB
        # heap little, so it can be large, and a large memtable is flushed (and then compacted)
        # seldom; each flush and compaction takes a core for a moment, which on two cores shows
        # as a latency spike. Compaction is throttled so that it runs as a trickle beside
        # the writes instead of in bursts: at 16 MiB/s a four-sstable compaction of the journal
        # still took 1.5 cores for 2.3 s (merging rows costs CPU, not bytes), 4 MiB/s spreads it.
        # An operator can change it (-Dcassandra.settings.compaction_throughput=... in
        # MESSENGER_CASSANDRA_JVM_OPTIONS, or nodetool setcompactionthroughput).
        memtable:
          configurations:
            skiplist:
              class_name: SkipListMemtable
            trie:
              class_name: TrieMemtable
            default:
              inherits: trie
        memtable_allocation_type: offheap_objects
        memtable_heap_space: 128MiB
        memtable_offheap_space: 256MiB
        concurrent_compactors: 1
        compaction_throughput: 4MiB/s
        commitlog_segment_size: 8MiB
        # messenger.storage.CommitLogSync: a lone node syncs before it acknowledges a write.
        %11$s
        # Snapshots on DROP/TRUNCATE would keep every throwaway test keyspace on disk.
        auto_snapshot: false
        """
            .formatted(
                quoted(dataDir.resolve("data")),
                quoted(dataDir.resolve("commitlog")),
                quoted(dataDir.resolve("saved_caches")),
                quoted(dataDir.resolve("hints")),
                quoted(dataDir.resolve("cdc_raw")),
                nativePort,
                storagePort,
                ring.address(),
                ring.initialToken(),
                seeds,
                commitLogSync.yaml(ring.alone()));
    return write(dataDir.resolve("cassandra.yaml"), yaml);
  }

  /**
   * Writes {@code <dataDir>/logback.xml}: everything from INFO to {@code logs/system.log}, and
   * warnings to the console, which the launcher sends to {@code logs/cassandra.out}.
   */
  static Path writeLogback(Path dataDir) throws IOException {
    String logs = xmlEscaped(dataDir.resolve("logs").toString());
    // Cassandra 5.0 ships logback 1.2: keep to what that version understands.
    String xml =
        """
        <!-- Written by messenger.storage.CassandraLauncher at every start: edits here are lost. -->
        <configuration scan="false">
          <appender name="SYSTEMLOG" class="ch.qos.logback.core.rolling.RollingFileAppender">
            <file>%1$s/system.log</file>
            <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
              <fileNamePattern>%1$s/system.log.%%i.zip</fileNamePattern>
              <minIndex>1</minIndex>
              <maxIndex>5</maxIndex>
            </rollingPolicy>
            <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
              <maxFileSize>20MB</maxFileSize>
            </triggeringPolicy>
            <encoder>
              <pattern>%%-5level [%%thread] %%date{ISO8601} %%F:%%L - %%msg%%n</pattern>
            </encoder>
          </appender>
          <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
            <filter class="ch.qos.logback.classic.filter.ThresholdFilter">
              <level>WARN</level>
            </filter>
            <encoder>
              <pattern>%%-5level [%%thread] %%date{ISO8601} %%F:%%L - %%msg%%n</pattern>
            </encoder>
          </appender>
          <root level="INFO">
            <appender-ref ref="SYSTEMLOG"/>
            <appender-ref ref="STDOUT"/>
          </root>
        </configuration>
        """
            .formatted(logs);
    return write(dataDir.resolve("logback.xml"), xml);
  }

  private static Path write(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  /** A YAML single-quoted scalar, so that spaces, colons or '#' in the path stay part of it. */
  private static String quoted(Path path) {
    return "'" + path.toString().replace("'", "''") + "'";
  }

  private static String xmlEscaped(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
