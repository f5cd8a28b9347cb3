package messenger.load.openloop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU of a few processes, in per cent of one core, from the utime + stime deltas of
 * {@code /proc/<pid>/stat} between two snapshots. Linux only; a process it cannot read shows as
 * "n/a". Processes are found by a {@code -D<name>.pid=} property, else by their command line (a {@code java} process whose arguments contain the main class); when
 * several match (another test's server on the same machine), by the one listening on the given
 * port.
 */
final class CpuSampler {

  /** The ticks of each process at one instant; -1 for a process that could not be read. */
  record Snapshot(long nanos, Map<String, Long> ticks) {}

  private final Map<String, Long> pids;
  private final long ticksPerSecond;

  CpuSampler(Map<String, Long> pids) {
    this.pids = new LinkedHashMap<>(pids);
    this.ticksPerSecond = clockTicksPerSecond();
  }

  Map<String, Long> pids() {
    return pids;
  }

  Snapshot snapshot() {
    Map<String, Long> ticks = new LinkedHashMap<>();
    pids.forEach((name, pid) -> ticks.put(name, pid < 0 ? -1 : readTicks(pid)));
    return new Snapshot(System.nanoTime(), ticks);
  }

  /** Per cent of one core per process between two snapshots; NaN where unknown. */
  Map<String, Double> percent(Snapshot from, Snapshot to) {
    Map<String, Double> result = new LinkedHashMap<>();
    double seconds = (to.nanos() - from.nanos()) / 1e9;
    for (String name : pids.keySet()) {
      long a = from.ticks().getOrDefault(name, -1L);
      long b = to.ticks().getOrDefault(name, -1L);
      result.put(name, a < 0 || b < 0 || seconds <= 0 ? Double.NaN : 100.0 * (b - a) / ticksPerSecond / seconds);
    }
    return result;
  }

  /**
   * utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. The command name (field 2)
   * is in parentheses and may hold spaces and parentheses itself, so fields are counted from the
   * last ')'.
   */
  static long ticks(String statLine) {
    String[] rest = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split("\\s+");
    // rest[0] is field 3 (state), so field n is rest[n - 3].
    return Long.parseLong(rest[14 - 3]) + Long.parseLong(rest[15 - 3]);
  }

  /**
   * Socket inodes listening on {@code port} in the lines of {@code /proc/net/tcp} or {@code tcp6}
   * ({@code sl local_address rem_address st ... inode}; state 0A is LISTEN).
   */
  static Set<Long> listeningInodes(List<String> procNetTcp, int port) {
    Set<Long> inodes = new HashSet<>();
    for (String line : procNetTcp) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 10 || !f[3].equals("0A")) continue;
      String local = f[1];
      int colon = local.lastIndexOf(':');
      if (colon < 0) continue;
      try {
        if (Integer.parseInt(local.substring(colon + 1), 16) == port) inodes.add(Long.parseLong(f[9]));
      } catch (NumberFormatException e) {
        // the header line
      }
    }
    return inodes;
  }

  /**
   * The pid of a process: {@code -D<property>=}, else the one process whose command line contains
   * {@code commandPart}, else among several the one listening on {@code port}.
   */
  static OptionalLong find(String property, String commandPart, int port) {
    String given = System.getProperty(property, "");
    if (!given.isBlank()) return OptionalLong.of(Long.parseLong(given.trim()));
    List<Long> candidates = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(
              p -> {
                try {
                  String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                  String program = cmd.split("\0", 2)[0];
                  if (program.endsWith("java") && cmd.contains(commandPart)) candidates.add(Long.parseLong(p.getFileName().toString()));
                } catch (IOException | RuntimeException e) {
                  // gone, or not ours to read
                }
              });
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    if (candidates.size() <= 1) return candidates.stream().mapToLong(Long::longValue).findFirst();
    Set<Long> inodes = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        inodes.addAll(listeningInodes(Files.readAllLines(Path.of(table)), port));
      } catch (IOException e) {
        // no IPv6
      }
    }
    for (long pid : candidates) {
      try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
        boolean listens =
            fds.anyMatch(
                fd -> {
                  try {
                    String link = Files.readSymbolicLink(fd).toString();
                    return link.startsWith("socket:[")
                        && inodes.contains(Long.parseLong(link.substring(8, link.length() - 1)));
                  } catch (IOException | RuntimeException e) {
                    return false;
                  }
                });
        if (listens) return OptionalLong.of(pid);
      } catch (IOException e) {
        // gone
      }
    }
    return OptionalLong.empty();
  }

  private static long readTicks(long pid) {
    try {
      return ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** USER_HZ, from {@code getconf CLK_TCK}; 100 (the Linux default) if that cannot run. */
  private static long clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
