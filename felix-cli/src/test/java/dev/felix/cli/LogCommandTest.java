package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.storage.durable.DurableLog;
import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.durable.FlushScheduler;
import dev.felix.storage.log.ProducerStamp;
import dev.felix.storage.time.Clock;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code felix log} on a real durable log directory, intact and damaged. */
class LogCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine command = FelixCommand.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(new StringWriter(), true));
    return command.execute(args);
  }

  @BeforeEach
  void writeLog() {
    try (FlushScheduler flusher = new FlushScheduler();
        DurableLog log = DurableLog.open(dir, DurableLogConfig.DEFAULTS, Clock.system(), flusher)) {
      for (int batch = 0; batch < 3; batch++) {
        List<RecordData> records = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          records.add(
              new RecordData(
                  Bytes.utf8("key-" + batch + "-" + i), List.of(), 0, Bytes.utf8("payload " + i)));
        }
        // the last batch is an idempotent producer's (storage format 2, with a producer stamp)
        ProducerStamp stamp = batch == 2 ? new ProducerStamp(77, 8, 11) : null;
        log.append(RecordBatch.of(records), stamp).durable().toCompletableFuture().join();
      }
    }
  }

  @Test
  void statsAndVerifyAnIntactLog() {
    assertThat(run("log", "stats", dir.toString())).isZero();
    assertThat(out.toString()).contains("segments 1, offsets [0, 12), records 12");
    assertThat(run("log", "verify", dir.toString())).isZero();
    assertThat(out.toString()).contains("batches checked 3", "OK");
  }

  @Test
  void dumpPrintsRecordsFromAnOffset() {
    assertThat(run("log", "dump", dir.toString(), "--from", "5", "--limit", "3", "--payload"))
        .isZero();
    assertThat(out.toString())
        .contains("offset 5 ", "offset 7 ", "key key-1-1", "payload payload 1")
        .doesNotContain("offset 4 ", "offset 8 ", "producer");
  }

  @Test
  void dumpShowsTheProducerStampOfAFormatTwoBatch() {
    assertThat(run("log", "dump", dir.toString(), "--from", "8")).isZero();
    assertThat(out.toString()).contains("base 8 records 4", "producer 77 seq 8..11");
  }

  @Test
  void verifyReportsACorruptedByteWithExitCodeOne() throws IOException {
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    }
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      // A byte inside the second record's payload: its batch CRC no longer matches.
      channel.write(ByteBuffer.wrap(new byte[] {'X'}), 60);
    }
    assertThat(run("log", "verify", dir.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("PROBLEM");
  }
}
