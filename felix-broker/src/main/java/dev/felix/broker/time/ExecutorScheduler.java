package dev.felix.broker.time;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: a small pool of daemon threads named {@code felix-broker-N}.
 * Its queue holds at most a few tasks per shard and per lagging subscription (the broker never
 * schedules a task that is already pending), so it needs no bound of its own.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);

  private final ScheduledThreadPoolExecutor executor;

  /** Starts {@code threads} threads. */
  public ExecutorScheduler(int threads) {
    AtomicInteger serial = new AtomicInteger();
    ThreadFactory factory =
        task -> {
          Thread thread = new Thread(task, "felix-broker-" + serial.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    executor = new ScheduledThreadPoolExecutor(threads, factory);
    executor.setRemoveOnCancelPolicy(true);
  }

  /** After {@link #close()} tasks are dropped: the broker is shut down and nobody waits. */
  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    try {
      Future<?> future = executor.schedule(guard(task), delayNanos, TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    } catch (RejectedExecutionException e) {
      return () -> {};
    }
  }

  @Override
  public void execute(Runnable task) {
    try {
      executor.execute(guard(task));
    } catch (RejectedExecutionException e) {
      // Closed: see schedule.
    }
  }

  /** Gauge: tasks waiting. */
  public int queuedTasks() {
    return executor.getQueue().size();
  }

  /**
   * Whether the threads make progress: a no-op task submitted now runs within {@code within}, or,
   * when tasks queued before it take longer (a busy broker: catch-up reads), other tasks complete
   * meanwhile. False when no thread finishes a task in that time (blocked or spinning in one, or
   * dead) or the scheduler is closed: its timers (redelivery, leases, lingering flushes) would be
   * just as late.
   */
  public boolean responsive(Duration within) {
    long completedBefore = executor.getCompletedTaskCount();
    Future<?> ping;
    try {
      ping = executor.submit(() -> {});
    } catch (RejectedExecutionException e) {
      return false;
    }
    try {
      ping.get(within.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      ping.cancel(false);
      return executor.getCompletedTaskCount() > completedBefore;
    } catch (ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops the threads; pending tasks are dropped. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** A failing task must not kill a pool thread silently; it is a bug, so say so. */
  private static Runnable guard(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("broker task failed", e);
      }
    };
  }
}
