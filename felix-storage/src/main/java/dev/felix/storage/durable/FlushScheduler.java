package dev.felix.storage.durable;

import dev.felix.storage.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that runs the fsyncs of many {@link DurableLog}s: logs under {@link
 * FsyncPolicy#ALWAYS} ask it to flush after each append (every append that arrives while a flush
 * runs rides on the next one: group commit), and logs under {@link FsyncPolicy#INTERVAL} are
 * flushed when their interval is due. One thread instead of one per log, because fsyncs of
 * different files on one disk gain little from running in parallel, and thousands of shards must
 * not mean thousands of threads.
 *
 * <p>The owner (the server) creates it, passes it to every log it opens, closes the logs, then
 * closes the scheduler. {@code durable} stages complete on this thread: callers should attach heavy
 * continuations with the {@code *Async} methods. A flush requested after {@link #close()} runs on
 * the requesting thread, so no append waits forever.
 *
 * <p><b>Threading:</b> {@link #request}, {@link #register} and {@link #unregister} may be called
 * from any thread; the sets they touch are guarded by {@link #lock}.
 */
public final class FlushScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlushScheduler.class);

  /**
   * Longest sleep between checks of interval deadlines. Deadlines are measured on the injected
   * clock, so a test that moves a manual clock sees its interval flush within this bound.
   */
  static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Set<LogSync> registered = new LinkedHashSet<>();
  private final Set<LogSync> requested = new LinkedHashSet<>();
  private final Thread thread;
  private boolean closed;

  /** A scheduler on the system clock whose thread is named {@code felix-log-flusher}. */
  public FlushScheduler() {
    this("felix-log-flusher", Clock.system());
  }

  public FlushScheduler(String threadName, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  void register(LogSync sync) {
    lock.lock();
    try {
      registered.add(sync);
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void unregister(LogSync sync) {
    lock.lock();
    try {
      registered.remove(sync);
      requested.remove(sync);
    } finally {
      lock.unlock();
    }
  }

  /** Asks for a flush of {@code sync} as soon as the thread is free. */
  void request(LogSync sync) {
    lock.lock();
    try {
      if (!closed) {
        requested.add(sync);
        wake.signalAll();
        return;
      }
    } finally {
      lock.unlock();
    }
    sync.flush();
  }

  private void run() {
    List<LogSync> urgent = new ArrayList<>();
    List<LogSync> due = new ArrayList<>();
    while (true) {
      boolean stop = collect(urgent, due);
      for (LogSync sync : urgent) {
        flushQuietly(sync, false);
      }
      for (LogSync sync : due) {
        flushQuietly(sync, true);
      }
      urgent.clear();
      due.clear();
      if (stop) {
        return;
      }
    }
  }

  /** Waits for work; returns true when the scheduler is closed (after the last work is taken). */
  private boolean collect(List<LogSync> urgent, List<LogSync> due) {
    lock.lock();
    try {
      while (true) {
        long now = clock.nanoTime();
        long wait = MAX_PARK_NANOS;
        for (LogSync sync : registered) {
          if (sync.intervalDue(now)) {
            due.add(sync);
          } else {
            wait = Math.min(wait, sync.nanosUntilDue(now));
          }
        }
        urgent.addAll(requested);
        requested.clear();
        if (closed || !urgent.isEmpty() || !due.isEmpty()) {
          return closed;
        }
        wake.awaitNanos(Math.max(1, wait));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private static void flushQuietly(LogSync sync, boolean interval) {
    try {
      if (interval) {
        sync.intervalFlush();
      } else {
        sync.flush();
      }
    } catch (RuntimeException e) {
      // flush() reports I/O through the log's stages; anything else is a bug, but one log's bug
      // must not stop the fsyncs of every other log.
      LOG.error("log flush failed unexpectedly", e);
    }
  }

  /** Runs the flushes already requested, then stops the thread. Close the logs first. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
