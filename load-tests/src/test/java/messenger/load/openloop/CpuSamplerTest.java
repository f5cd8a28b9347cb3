package messenger.load.openloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuSamplerTest {

  @Test
  void readsUtimePlusStimeAfterTheCommandName() {
    String line =
        "4242 (java) S 1 4242 4242 0 -1 4194560 123456 0 12 0 1500 250 0 0 20 0 57 0 9876 4000000000 200000 18446744073709551615";
    assertEquals(1750, CpuSampler.ticks(line));
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
    String line = "77 (my (odd) name) R 1 77 77 0 -1 0 0 0 0 0 31 9 0 0 20 0 1 0 5 0 0 0";
    assertEquals(40, CpuSampler.ticks(line));
  }

  @Test
  void theOwnProcessHasTicks() throws Exception {
    long ticks = CpuSampler.ticks(Files.readString(Path.of("/proc/self/stat")));
    assertTrue(ticks >= 0);
  }

  @Test
  void findsTheInodesListeningOnAPort() {
    List<String> tcp =
        List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31337 1 0000000000000000 100 0 0 10 0",
            "   1: 0100007F:2352 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4711 1 0000000000000000 100 0 0 10 0",
            "   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 999 1 0000000000000000 20 4 30 10 -1");
    assertEquals(Set.of(31337L), CpuSampler.listeningInodes(tcp, 8080));
    assertEquals(Set.of(4711L), CpuSampler.listeningInodes(tcp, 9042));
    assertEquals(Set.of(), CpuSampler.listeningInodes(tcp, 7000));
  }

  @Test
  void percentOfOneCoreFromTickDeltas() {
    CpuSampler sampler = new CpuSampler(Map.of("x", 1L));
    CpuSampler.Snapshot a = new CpuSampler.Snapshot(0, Map.of("x", 1000L));
    CpuSampler.Snapshot b = new CpuSampler.Snapshot(2_000_000_000L, Map.of("x", 1000L + 3 * hz()));
    assertEquals(150.0, sampler.percent(a, b).get("x"), 1e-9);
    CpuSampler.Snapshot unknown = new CpuSampler.Snapshot(2_000_000_000L, Map.of("x", -1L));
    assertTrue(sampler.percent(a, unknown).get("x").isNaN());
  }

  private static long hz() throws RuntimeException {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      return Long.parseLong(new String(p.getInputStream().readAllBytes()).trim());
    } catch (Exception e) {
      return 100;
    }
  }
}
