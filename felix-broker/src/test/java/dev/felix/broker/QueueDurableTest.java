package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer groups on durable streams: positions survive a restart, dead letters are durable. */
class QueueDurableTest {
  private static final StreamRef JOBS = StreamRef.of("jobs");

  @TempDir Path dataDir;

  private BrokerFixture broker() {
    StreamConfig durable =
        StreamConfig.DEFAULTS.withStorage(
            StreamStorage.durable(DurableLogConfig.DEFAULTS.withFsyncPolicy(FsyncPolicy.ALWAYS)));
    return new BrokerFixture(
        BrokerConfig.builder()
            .dataDir(dataDir)
            .defaultStream(durable)
            .queues(QueueConfig.DEFAULTS.withMaxDeliveries(1))
            .build());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
      // Durable appends complete on storage threads; their flushes schedule lease steps here.
    }
  }

  @Test
  void theCommittedPositionSurvivesARestartAndOnlyUnackedRecordsComeBack() throws Exception {
    try (BrokerFixture f = broker()) {
      TestSink member = f.join(JOBS, "workers", 100, StartPosition.EARLIEST);
      for (int i = 0; i < 10; i++) {
        f.publishAcked(JOBS, RecordData.of("job-" + i));
      }
      await(
          "ten deliveries",
          () -> {
            f.settle();
            return member.offsets().size() == 10;
          });
      ((QueueSubscription) member.subscription())
          .ack(List.of(0L, 1L, 2L, 3L, 4L, 5L).stream().map(o -> new ShardOffset(0, o)).toList());
      f.settle();
      assertThat(f.broker.group(JOBS, "workers").orElseThrow().durablePosition()).isTrue();
    }
    assertThat(Files.exists(dataDir.resolve("groups").resolve("positions.fxps"))).isTrue();

    try (BrokerFixture f = broker()) {
      TestSink member = f.join(JOBS, "workers", 100, StartPosition.LATEST);
      await(
          "the unacked four",
          () -> {
            f.settle();
            return member.offsets().size() == 4;
          });
      assertThat(member.offsets()).containsExactly(6L, 7L, 8L, 9L);
      assertThat(member.subscription().startOffsets()).containsExactly(new ShardOffset(0, 6));
    }
  }

  @Test
  void recordsAckedOutOfOrderAreNotDeliveredAgainAfterARestart() throws Exception {
    try (BrokerFixture f = broker()) {
      TestSink member = f.join(JOBS, "workers", 100, StartPosition.EARLIEST);
      for (int i = 0; i < 10; i++) {
        f.publishAcked(JOBS, RecordData.of("job-" + i));
      }
      await(
          "ten deliveries",
          () -> {
            f.settle();
            return member.offsets().size() == 10;
          });
      ((QueueSubscription) member.subscription())
          .ack(List.of(0L, 1L, 2L, 5L, 6L, 9L).stream().map(o -> new ShardOffset(0, o)).toList());
      f.settle();
    }
    try (BrokerFixture f = broker()) {
      TestSink member = f.join(JOBS, "workers", 100, StartPosition.LATEST);
      await(
          "the unacked four",
          () -> {
            f.settle();
            return member.offsets().size() == 4;
          });
      assertThat(member.offsets()).containsExactly(3L, 4L, 7L, 8L);
      ((QueueSubscription) member.subscription())
          .ack(List.of(3L, 4L, 7L, 8L).stream().map(o -> new ShardOffset(0, o)).toList());
      f.settle();
      GroupInfo info = f.broker.group(JOBS, "workers").orElseThrow();
      assertThat(info.shards().get(0).committed()).isEqualTo(10);
      assertThat(info.lag()).isZero();
    }
  }

  /** What a killed process leaves: the files as the kernel has them, copied while it runs. */
  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private BrokerFixture broker(Path dir, int positionFlushMs) {
    return broker(dir, positionFlushMs, BrokerConfig.DEFAULT_STORAGE_THREADS);
  }

  private BrokerFixture broker(Path dir, int positionFlushMs, int storageThreads) {
    StreamConfig durable =
        StreamConfig.DEFAULTS.withStorage(
            StreamStorage.durable(DurableLogConfig.DEFAULTS.withFsyncPolicy(FsyncPolicy.ALWAYS)));
    QueueConfig queues = QueueConfig.DEFAULTS;
    return new BrokerFixture(
        BrokerConfig.builder()
            .dataDir(dir)
            .storageThreads(storageThreads)
            .defaultStream(durable)
            .queues(
                new QueueConfig(
                    queues.visibilityTimeoutMs(),
                    queues.maxDeliveries(),
                    queues.maxUnackedPerShard(),
                    queues.defaultMaxInFlight(),
                    queues.maxInFlight(),
                    queues.maxGroups(),
                    positionFlushMs,
                    queues.deadLetterSuffix()))
            .build());
  }

  @Test
  void acksReachTheFilesWithoutAFlushTickSoAKilledBrokerRedeliversOnlyWhatWasInFlight(
      @TempDir Path killed) throws Exception {
    Path journal = dataDir.resolve("groups").resolve("acks.fxaj");
    // The manual scheduler never fires the flush tick: only the journal's writes can save the acks.
    try (BrokerFixture f = broker(dataDir, 3_600_000)) {
      TestSink member = f.join(JOBS, "workers", 100, StartPosition.EARLIEST);
      for (int i = 0; i < 10; i++) {
        f.publishAcked(JOBS, RecordData.of("job-" + i));
      }
      await(
          "ten deliveries",
          () -> {
            f.settle();
            return member.offsets().size() == 10;
          });
      long before = Files.size(journal);
      ((QueueSubscription) member.subscription())
          .ack(List.of(0L, 1L, 2L, 4L, 7L).stream().map(o -> new ShardOffset(0, o)).toList());
      await("the acks in the journal", () -> sizeOf(journal) > before);
      // The storage lane may write the five acks in more than one write (it can drain the buffer
      // while the ack call is still filling it): copy only once the journal has stopped growing.
      awaitStableSize(journal);
      copyTree(dataDir, killed);
    }
    try (BrokerFixture f = broker(killed, 3_600_000)) {
      TestSink member = f.join(JOBS, "workers", 100, StartPosition.LATEST);
      await(
          "the five in flight at the kill",
          () -> {
            f.settle();
            return member.offsets().size() == 5;
          });
      assertThat(member.offsets()).containsExactly(3L, 5L, 6L, 8L, 9L);
      GroupInfo info = f.broker.group(JOBS, "workers").orElseThrow();
      assertThat(info.shards().get(0).committed()).isEqualTo(3);
      assertThat(info.redeliveries()).as("records in flight at the kill come again").isEqualTo(5);
    }
  }

  /**
   * A kill can land between a record leaving the broker and the journal write that says it was
   * leased (or, for a redelivery, counted). Here the journal's storage thread is held while the
   * lease step runs, which is that window made long: nothing may leave during it, so the files of a
   * broker killed right after a delivery always make the next broker deliver it again as a counted
   * redelivery.
   */
  @Test
  void recordsLeaveOnlyOnceTheJournalHasTheirLeaseSoEveryDuplicateAfterAKillIsCounted(
      @TempDir Path firstKill, @TempDir Path secondKill) throws Exception {
    try (BrokerFixture f = broker(dataDir, 3_600_000, 1)) {
      for (int i = 0; i < 5; i++) {
        f.publishAcked(JOBS, RecordData.of("job-" + i));
      }
      TestSink member = joinWithTheJournalHeld(f, dataDir);
      assertThat(member.offsets()).containsExactly(0L, 1L, 2L, 3L, 4L);
      copyTree(dataDir, firstKill);
    }
    try (BrokerFixture f = broker(firstKill, 3_600_000, 1)) {
      TestSink member = joinWithTheJournalHeld(f, firstKill);
      assertThat(member.offsets()).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(f.broker.group(JOBS, "workers").orElseThrow().redeliveries()).isEqualTo(5);
      copyTree(firstKill, secondKill);
    }
    try (BrokerFixture f = broker(secondKill, 3_600_000, 1)) {
      TestSink member = f.join(JOBS, "workers", 100, StartPosition.LATEST);
      await(
          "the five again",
          () -> {
            f.settle();
            return member.offsets().size() == 5;
          });
      assertThat(f.broker.group(JOBS, "workers").orElseThrow().redeliveries())
          .as("the previous run's five redeliveries were journaled before they left")
          .isEqualTo(10);
    }
  }

  /**
   * Joins a member while the broker's only storage thread is held, checks that no record reaches it
   * until the thread is let go, then waits for the five records and for the journal to settle.
   */
  private TestSink joinWithTheJournalHeld(BrokerFixture f, Path dir) throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    boolean queued =
        f.broker
            .storage()
            .newLane(1)
            .offer(
                0,
                () -> {
                  held.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    assertThat(queued).isTrue();
    assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();
    TestSink member = null;
    try {
      // From the start when new; a group the files know starts at its stored position instead.
      member = f.join(JOBS, "workers", 100, StartPosition.EARLIEST);
      for (int i = 0; i < 10; i++) {
        f.settle();
        Thread.sleep(5);
      }
      assertThat(member.offsets())
          .as("no record leaves while the journal cannot record its lease")
          .isEmpty();
      GroupInfo waiting = f.broker.group(JOBS, "workers").orElseThrow();
      assertThat(waiting.inFlight()).isEqualTo(5);
      assertThat(waiting.awaitingJournal()).as("the five, held for the journal").isEqualTo(5);
    } finally {
      release.countDown();
    }
    TestSink joined = member;
    await(
        "five deliveries",
        () -> {
          f.settle();
          return joined.offsets().size() == 5;
        });
    awaitStableSize(dir.resolve("groups").resolve("acks.fxaj"));
    assertThat(f.broker.group(JOBS, "workers").orElseThrow().awaitingJournal()).isZero();
    return joined;
  }

  private static void awaitStableSize(Path file) throws InterruptedException {
    long last = -1;
    long size = sizeOf(file);
    for (int i = 0; i < 200 && size != last; i++) {
      Thread.sleep(100);
      last = size;
      size = sizeOf(file);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void countersContinueAfterARestart() throws Exception {
    try (BrokerFixture f = broker()) {
      TestSink member = f.join(JOBS, "workers", 100, StartPosition.EARLIEST);
      for (int i = 0; i < 4; i++) {
        f.publishAcked(JOBS, RecordData.of("job-" + i));
      }
      await(
          "four deliveries",
          () -> {
            f.settle();
            return member.offsets().size() == 4;
          });
      ((QueueSubscription) member.subscription())
          .ack(List.of(0L, 1L, 2L).stream().map(o -> new ShardOffset(0, o)).toList());
      ((QueueSubscription) member.subscription()).nack(0, List.of(new ShardOffset(0, 3)));
      f.settle();
    }
    try (BrokerFixture f = broker()) {
      f.join(JOBS, "workers", 100, StartPosition.LATEST);
      GroupInfo info = f.broker.group(JOBS, "workers").orElseThrow();
      assertThat(info.acks()).isEqualTo(3);
      assertThat(info.nacks()).isEqualTo(1);
    }
  }

  @Test
  void deletingAGroupOrItsStreamRemovesItsStoredPosition() throws Exception {
    try (BrokerFixture f = broker()) {
      TestSink member = f.join(JOBS, "workers", 100, StartPosition.EARLIEST);
      f.join(StreamRef.of("other"), "idle", 100, StartPosition.EARLIEST);
      for (int i = 0; i < 3; i++) {
        f.publishAcked(JOBS, RecordData.of("job-" + i));
      }
      await(
          "three deliveries",
          () -> {
            f.settle();
            return member.offsets().size() == 3;
          });
      ((QueueSubscription) member.subscription())
          .ack(List.of(new ShardOffset(0, 0), new ShardOffset(0, 1), new ShardOffset(0, 2)));
      f.settle();
    }
    try (BrokerFixture f = broker()) {
      // Neither group joined since the restart: one deleted by name, one with its stream.
      assertThat(f.broker.deleteGroup(JOBS, "workers")).isFalse();
      f.broker.deleteStream(StreamRef.of("other"));
    }
    try (BrokerFixture f = broker()) {
      TestSink member = f.join(JOBS, "workers", 100, StartPosition.EARLIEST);
      await(
          "all three again: a new group from the start",
          () -> {
            f.settle();
            return member.offsets().size() == 3;
          });
      assertThat(f.broker.group(JOBS, "workers").orElseThrow().acks()).isZero();
    }
  }

  @Test
  void deadLettersOfADurableStreamGoToADurableDeadLetterStream() throws Exception {
    try (BrokerFixture f = broker()) {
      TestSink member = f.join(JOBS, "workers", 1, StartPosition.EARLIEST);
      f.publishAcked(JOBS, RecordData.of("poison"));
      await(
          "delivery",
          () -> {
            f.settle();
            return member.offsets().size() == 1;
          });
      ((QueueSubscription) member.subscription()).nack(0, List.of(new ShardOffset(0, 0)));
      await(
          "dead letter",
          () -> {
            f.settle();
            return f.broker.group(JOBS, "workers").orElseThrow().deadLettered() == 1;
          });
      StreamInfo dlq = f.broker.stream(StreamRef.of("jobs.dlq")).orElseThrow();
      assertThat(dlq.config().durable()).isTrue();
      assertThat(f.broker.group(JOBS, "workers").orElseThrow().lag()).isZero();
    }
  }
}
