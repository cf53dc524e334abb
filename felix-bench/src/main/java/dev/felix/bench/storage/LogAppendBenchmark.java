package dev.felix.bench.storage;

import dev.felix.storage.durable.FlushScheduler;
import dev.felix.storage.log.Appended;
import dev.felix.storage.log.Log;
import dev.felix.wire.message.RecordBatch;
import java.io.IOException;
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
 * One append of a batch of {@code recordsPerBatch} records (100-byte payloads), on the durable log
 * (fsync NEVER: encode, CRC, one positional write to the page cache, index upkeep) and on the
 * memory log as its peer. With {@code -prof gc}, B/op shows the per-append allocation: the durable
 * path allocates only the {@code Appended} and the batch's buffer view, never per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class LogAppendBenchmark {
  @Param({"durable", "memory"})
  public String log;

  @Param({"1", "64"})
  public int recordsPerBatch;

  private Path dir;
  private FlushScheduler scheduler;
  private Log target;
  private RecordBatch batch;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    batch = LogFixtures.batch(recordsPerBatch, 100);
    if (log.equals("durable")) {
      dir = Files.createTempDirectory("felix-bench-append");
      scheduler = new FlushScheduler();
      target = LogFixtures.durable(dir, scheduler);
    } else {
      target = LogFixtures.memory();
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
  public Appended append() {
    return target.append(batch);
  }
}
