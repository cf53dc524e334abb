package dev.felix.bench.storage;

import dev.felix.storage.durable.FlushScheduler;
import dev.felix.storage.log.Log;
import dev.felix.wire.message.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A subscriber's catch-up read: 1000 records (100-byte payloads, appended in batches of 16) from an
 * offset that moves through the log, into one reused buffer. The durable log reads from the page
 * cache (the data was just written), so this measures seek, batch walk, copy and delta rewrite, not
 * the disk; the memory log is the peer on the same records.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class LogReadBenchmark {
  private static final int RECORDS = 200_000;
  private static final int READ = 1000;

  @Param({"durable", "memory"})
  public String log;

  private Path dir;
  private FlushScheduler scheduler;
  private Log target;
  private final ByteBuffer out = ByteBuffer.allocate(1 << 20);
  private long from;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    if (log.equals("durable")) {
      dir = Files.createTempDirectory("felix-bench-read");
      scheduler = new FlushScheduler();
      target = LogFixtures.durable(dir, scheduler);
    } else {
      target = LogFixtures.memory();
    }
    RecordBatch batch = LogFixtures.batch(16, 100);
    for (int i = 0; i < RECORDS / 16; i++) {
      target.append(batch);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    target.close();
    if (scheduler != null) {
      scheduler.close();
      LogFixtures.deleteTree(dir);
    }
  }

  @Benchmark
  public int read1000() {
    // Step by a prime so reads start mid-batch and at every index distance.
    from = (from + 7919) % (target.endOffset() - READ - target.startOffset());
    out.clear();
    return target.read(target.startOffset() + from, READ, Integer.MAX_VALUE, out);
  }
}
