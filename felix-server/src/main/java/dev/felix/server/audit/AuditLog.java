package dev.felix.server.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only audit log: authentication failures, authorization denials and (through the later
 * admin API) administrative changes, as JSON lines under {@code <data dir>/audit/} ({@link
 * AuditFiles} rotates and bounds them).
 *
 * <p>{@link #record} is called on event-loop threads, so it never touches the disk: it offers the
 * event to a bounded queue that one writer thread drains. When the queue is full the event is
 * dropped and counted ({@link #dropped()}, exported as {@code felix_audit_dropped_total}) rather
 * than blocking a connection's thread; a client flooding denied requests cannot stall the broker
 * through its audit trail.
 *
 * <p>Threads: any thread may record; the writer thread owns the files.
 */
public final class AuditLog implements AutoCloseable {
  /** Queue bound: about two seconds of a denial flood at the writer's pace. */
  public static final int DEFAULT_QUEUE_CAPACITY = 8192;

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final int DRAIN_BATCH = 512;

  private final BlockingQueue<AuditEvent> queue;
  private final AuditFiles files;
  private final Clock clock;
  private final Thread writer;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong writeFailures = new AtomicLong();
  private volatile boolean closing;

  private AuditLog(AuditFiles files, int queueCapacity, Clock clock) {
    this.files = files;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.clock = clock;
    this.writer = new Thread(this::writeLoop, "felix-audit-writer");
    writer.setDaemon(true);
  }

  /**
   * Opens (or continues) the audit log in {@code dir} and starts its writer thread.
   *
   * @param maxFileBytes size at which a file is rotated
   * @param maxFiles files kept; older ones are deleted
   * @throws UncheckedIOException when the directory cannot be created or written
   */
  public static AuditLog start(
      Path dir, long maxFileBytes, int maxFiles, int queueCapacity, Clock clock) {
    AuditLog log = unstarted(dir, maxFileBytes, maxFiles, queueCapacity, clock);
    log.writer.start();
    return log;
  }

  /** A log whose writer thread is not running yet (tests fill the queue first). */
  static AuditLog unstarted(
      Path dir, long maxFileBytes, int maxFiles, int queueCapacity, Clock clock) {
    try {
      return new AuditLog(new AuditFiles(dir, maxFileBytes, maxFiles), queueCapacity, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit log in " + dir, e);
    }
  }

  /** Starts the writer thread of an {@link #unstarted} log. */
  void startWriter() {
    writer.start();
  }

  /** The audit directory under a data directory. */
  public static Path directory(Path dataDir) {
    return dataDir.resolve("audit");
  }

  /**
   * Queues {@code event} for writing; never blocks.
   *
   * @return false when the queue was full (or the log closed) and the event was dropped
   */
  public boolean record(AuditEvent event) {
    if (closing || !queue.offer(event)) {
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  /**
   * Records an administrative change, stamped now (for the admin API).
   *
   * @param principal who made the change
   * @param tenant the principal's tenant
   * @param action the operation, e.g. {@code policy.replace}
   * @param resource what it changed
   * @param result {@code ok}, {@code denied} or {@code failed}
   * @param detail a short reason or summary, or null
   * @return false when the event was dropped
   */
  public boolean record(
      String principal,
      String tenant,
      String action,
      String resource,
      String result,
      String detail) {
    return record(
        new AuditEvent(
            clock.instant(),
            AuditEvent.ADMIN,
            principal,
            tenant,
            action,
            resource,
            result,
            detail,
            null));
  }

  /** The clock events are stamped with. */
  public Clock clock() {
    return clock;
  }

  /** Events written to a file. */
  public long written() {
    return written.get();
  }

  /** Events dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Events lost to I/O errors. */
  public long writeFailures() {
    return writeFailures.get();
  }

  /** Events queued but not yet written. */
  public int queued() {
    return queue.size();
  }

  private void writeLoop() {
    List<AuditEvent> batch = new ArrayList<>(DRAIN_BATCH);
    long failuresLogged = 0;
    while (true) {
      try {
        AuditEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, DRAIN_BATCH - 1);
        failuresLogged = writeBatch(batch, failuresLogged);
        batch.clear();
      } catch (InterruptedException e) {
        // close() does not interrupt; treat an interrupt from elsewhere as "stop now".
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Writes a batch; logs the first failure and then only every 1000th, with the count. */
  private long writeBatch(List<AuditEvent> batch, long failuresLogged) {
    int done = 0;
    try {
      for (AuditEvent event : batch) {
        files.append(event.toJson());
        done++;
      }
      files.flush();
      written.addAndGet(done);
      return failuresLogged;
    } catch (IOException e) {
      long failures = writeFailures.addAndGet(batch.size() - done);
      if (failuresLogged == 0 || failures - failuresLogged >= 1000) {
        LOG.error("audit log write failed ({} events lost so far)", failures, e);
        return failures;
      }
      return failuresLogged;
    }
  }

  /** Writes what is queued (within a few seconds), then closes the files. Idempotent. */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      files.close();
    } catch (IOException e) {
      LOG.warn("closing the audit log failed", e);
    }
  }
}
