package messenger.chat;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The id and timestamp a conversation gives each message ({@code Conversation.nextEntry}): a UUIDv7
 * from one generator shared by every conversation of the node, as a string, and the UTC clock. The
 * generator is a private field of {@link Conversation}, so this makes its own the same way; the
 * work per id is the library's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class MessageIdBenchmark {

  private final TimeBasedEpochGenerator messageIds = Generators.timeBasedEpochGenerator();
  private final Clock clock = Clock.systemUTC();

  @Benchmark
  public String messageId() {
    return messageIds.generate().toString();
  }

  @Benchmark
  public Instant timestamp() {
    return clock.instant();
  }
}
