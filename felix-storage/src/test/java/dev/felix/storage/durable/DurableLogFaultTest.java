package dev.felix.storage.durable;

import static dev.felix.storage.durable.DurableTestRecords.batch;
import static dev.felix.storage.durable.DurableTestRecords.labels;
import static dev.felix.storage.durable.DurableTestRecords.readAll;
import static dev.felix.storage.durable.DurableTestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.StorageException;
import dev.felix.storage.log.Appended;
import dev.felix.storage.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** I/O failures through {@link FaultyFileIo}, and what each fsync policy promises. */
class DurableLogFaultTest {
  @TempDir Path dir;
  private final dev.felix.storage.time.ManualClock clock =
      new dev.felix.storage.time.ManualClock(1_000_000);
  private final FlushScheduler scheduler = new FlushScheduler("test-flusher", clock);
  private final FaultyFileIo io = new FaultyFileIo();

  private static final DurableLogConfig CONFIG =
      DurableLogConfig.DEFAULTS.withSegmentBytes(4096).withIndexIntervalBytes(64);

  @AfterEach
  void stopScheduler() {
    scheduler.close();
  }

  private DurableLog open(FsyncPolicy policy) {
    return DurableLog.open(dir, CONFIG.withFsyncPolicy(policy), clock, scheduler, io);
  }

  @Test
  void aFullDiskFailsTheAppendWithoutAHalfBatchAndRecoversWhenSpaceReturns() throws Exception {
    try (DurableLog log = open(FsyncPolicy.NEVER)) {
      log.append(batch(record("a"), record("b")));
      long validBytes = log.metrics().retainedBytes();
      io.writableBytes.set(10);

      assertThatThrownBy(() -> log.append(batch(record("lost"))))
          .isInstanceOf(StorageException.class)
          .extracting(e -> ((FelixException) e).code())
          .isEqualTo(ErrorCode.STORAGE_FULL);
      assertThat(log.endOffset()).isEqualTo(2);
      assertThat(Files.size(SegmentNames.logFile(dir, 0))).isEqualTo(validBytes);
      assertThat(log.metrics().ioErrors()).isEqualTo(1);

      io.writableBytes.set(-1);
      assertThat(log.append(batch(record("c"))).baseOffset()).isEqualTo(2);
      assertThat(labels(readAll(log, 0, 10))).containsExactly("a", "b", "c");
    }
    try (DurableLog log = open(FsyncPolicy.NEVER)) {
      assertThat(log.recoveryReport().clean()).isTrue();
      assertThat(labels(readAll(log, 0, 10))).containsExactly("a", "b", "c");
    }
  }

  @Test
  void whenTheFailedWriteCannotBeCutTheNextAppendCutsItFirst() throws Exception {
    try (DurableLog log = open(FsyncPolicy.NEVER)) {
      log.append(batch(record("a")));
      io.writableBytes.set(10);
      io.failTruncate = true;
      assertThatThrownBy(() -> log.append(batch(record("lost"))))
          .isInstanceOf(StorageException.class);
      assertThat(labels(readAll(log, 0, 10))).containsExactly("a");

      io.writableBytes.set(-1);
      assertThatThrownBy(() -> log.append(batch(record("still"))))
          .isInstanceOf(StorageException.class);
      io.failTruncate = false;
      log.append(batch(record("b")));
      assertThat(labels(readAll(log, 0, 10))).containsExactly("a", "b");
    }
    try (DurableLog log = open(FsyncPolicy.NEVER)) {
      assertThat(log.recoveryReport().clean()).isTrue();
      assertThat(log.endOffset()).isEqualTo(2);
    }
  }

  @Test
  void aFullDiskWhileRollingLeavesTheLogAsItWas() {
    try (DurableLog log =
        DurableLog.open(
            dir,
            CONFIG.withSegmentBytes(256).withFsyncPolicy(FsyncPolicy.NEVER),
            clock,
            scheduler,
            io)) {
      log.append(batch(record("a", 150, 0)));
      io.writableBytes.set(0);
      assertThatThrownBy(() -> log.append(batch(record("b", 150, 0))))
          .isInstanceOf(StorageException.class);
      io.writableBytes.set(-1);
      log.append(batch(record("b", 150, 0)));
      assertThat(labels(readAll(log, 0, 10))).containsExactly("a", "b");
      assertThat(log.metrics().segments()).isEqualTo(2);
    }
  }

  @Test
  void alwaysCompletesDurableOnlyAfterAnFsyncAndSharesFsyncsAcrossAppends() throws Exception {
    Semaphore gate = new Semaphore(0);
    io.forceGate = gate;
    try (DurableLog log = open(FsyncPolicy.ALWAYS)) {
      Appended first = log.append(batch(record("first")));
      assertThat(first.isDurable()).isFalse();
      // The flusher is now blocked inside the fsync for "first"; these wait for the next one.
      List<CompletableFuture<Void>> later = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        later.add(log.append(batch(record("r" + i))).durable().toCompletableFuture());
      }
      assertThat(first.durable().toCompletableFuture()).isNotDone();
      assertThat(log.durableEndOffset()).isZero();

      gate.release(2);
      first.durable().toCompletableFuture().get(10, TimeUnit.SECONDS);
      CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      // 21 appends, at most 2 fsyncs: the one "first" triggered and one shared by the rest.
      assertThat(io.segmentForces.get()).isBetween(1, 2);
      assertThat(log.metrics().fsyncs()).isEqualTo(io.segmentForces.get());
      assertThat(log.durableEndOffset()).isEqualTo(21);
      io.forceGate = null;
      gate.release(100);
    }
  }

  @Test
  void aFailedFsyncFailsTheWaitingAppendsAndEveryLaterOne() throws Exception {
    io.failForce = true;
    try (DurableLog log = open(FsyncPolicy.ALWAYS)) {
      Appended appended = log.append(batch(record("a")));
      assertThatThrownBy(() -> appended.durable().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(StorageException.class);
      assertThatThrownBy(() -> log.append(batch(record("b"))))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("reopen");
      io.failForce = false;
    }
    try (DurableLog log = open(FsyncPolicy.ALWAYS)) {
      log.append(batch(record("b"))).durable().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(log.metrics().fsyncs()).isEqualTo(1);
    }
  }

  @Test
  void intervalCompletesAtOnceAndFsyncsWhenTheIntervalIsDue() throws Exception {
    try (DurableLog log = open(FsyncPolicy.INTERVAL)) {
      Appended appended = log.append(batch(record("a")));
      assertThat(appended.isDurable()).isTrue();
      assertThat(log.metrics().fsyncs()).isZero();
      clock.advanceMillis(DurableLogConfig.DEFAULT_FSYNC_INTERVAL_MS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (log.metrics().fsyncs() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(log.metrics().fsyncs()).isEqualTo(1);
      assertThat(log.metrics().fsyncNanosTotal()).isPositive();
    }
  }

  @Test
  void neverLeavesFsyncsToTheOperatingSystemUntilClose() {
    DurableLog log = open(FsyncPolicy.NEVER);
    assertThat(log.append(batch(record("a"))).isDurable()).isTrue();
    assertThat(log.metrics().fsyncs()).isZero();
    log.close();
    assertThat(log.metrics().fsyncs()).isEqualTo(1);
  }

  @Test
  void aClosedSchedulerFlushesOnTheAppendingThread() throws Exception {
    FlushScheduler closed = new FlushScheduler("closed", Clock.system());
    closed.close();
    try (DurableLog log =
        DurableLog.open(dir, CONFIG.withFsyncPolicy(FsyncPolicy.ALWAYS), clock, closed, io)) {
      Appended appended = log.append(batch(record("a")));
      assertThat(appended.durable().toCompletableFuture()).isDone();
      assertThat(io.segmentForces.get()).isEqualTo(1);
    }
  }
}
