package dev.felix.bench.storage;

import dev.felix.storage.durable.DurableLog;
import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.durable.FlushScheduler;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.storage.log.Log;
import dev.felix.storage.log.MemoryLog;
import dev.felix.storage.log.MemoryLogConfig;
import dev.felix.storage.time.Clock;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The logs under test and their workload, shared by the storage benchmarks. */
final class LogFixtures {
  private LogFixtures() {}

  /**
   * A durable log with fsync NEVER (the benchmark measures the write path, not the disk's fsync),
   * 64 MiB segments and 256 MiB retention so a long run does not fill the disk.
   */
  static DurableLog durable(Path dir, FlushScheduler scheduler) {
    DurableLogConfig config =
        DurableLogConfig.DEFAULTS
            .withFsyncPolicy(FsyncPolicy.NEVER)
            .withSegmentBytes(64L << 20)
            .withRetentionBytes(256L << 20);
    return DurableLog.open(dir, config, Clock.system(), scheduler);
  }

  static Log memory() {
    return new MemoryLog(MemoryLogConfig.DEFAULTS, Clock.system());
  }

  /** {@code count} records with a 16-byte key, no headers and a {@code payloadBytes} payload. */
  static RecordBatch batch(int count, int payloadBytes) {
    List<RecordData> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(
          new RecordData(
              Bytes.utf8(String.format("key-%012d", i)),
              List.of(),
              0,
              Bytes.wrap(new byte[payloadBytes])));
    }
    return RecordBatch.of(records);
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
