package dev.felix.broker.storage;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The appends of one durable stream, run one after another on the shared storage threads: order per
 * stream is kept without a thread per stream, and a stream with a slow disk delays only its own
 * publishers.
 *
 * <p>Bounded by bytes: {@link #offer} refuses a task once {@code maxQueuedBytes} are waiting, and
 * {@link #drained()} completes when the queue has fallen to half of it, so publishers wait
 * (BLOCKED, retried on that signal) instead of the queue growing.
 *
 * <p>Threading: thread-safe (this object's monitor); tasks run outside it.
 */
public final class StorageLane {
  private record Task(Runnable work, long bytes) {}

  private final Executor executor;
  private final long maxQueuedBytes;
  private final ArrayDeque<Task> tasks = new ArrayDeque<>();
  private long queuedBytes;
  private boolean running;
  private CompletableFuture<Void> drained;

  StorageLane(Executor executor, long maxQueuedBytes) {
    this.executor = executor;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * Queues {@code work}; false when the lane is full (nothing queued: wait for {@link #drained()}).
   * A task larger than the bound is accepted when the lane is empty, so any single publish fits.
   */
  public synchronized boolean offer(long bytes, Runnable work) {
    if (queuedBytes > 0 && queuedBytes + bytes > maxQueuedBytes) {
      return false;
    }
    tasks.addLast(new Task(work, bytes));
    queuedBytes += bytes;
    if (!running) {
      running = true;
      executor.execute(this::runOne);
    }
    return true;
  }

  /**
   * Queues {@code work} past the bound: for tasks that must not be refused (a durable cache's
   * evictions, each caused by an accepted write, and closing or deleting its log).
   */
  public synchronized void force(long bytes, Runnable work) {
    tasks.addLast(new Task(work, bytes));
    queuedBytes += bytes;
    if (!running) {
      running = true;
      executor.execute(this::runOne);
    }
  }

  /** Completes once the queued bytes have fallen to half the bound (at once if they have). */
  public synchronized CompletionStage<Void> drained() {
    if (queuedBytes <= maxQueuedBytes / 2) {
      return CompletableFuture.completedStage(null);
    }
    if (drained == null) {
      drained = new CompletableFuture<>();
    }
    return drained;
  }

  public synchronized long queuedBytes() {
    return queuedBytes;
  }

  /** Runs the next task, then hands the lane back to the executor (fair to other streams). */
  private void runOne() {
    Task task;
    synchronized (this) {
      task = tasks.pollFirst();
      if (task == null) {
        running = false;
        return;
      }
    }
    try {
      task.work().run();
    } finally {
      CompletableFuture<Void> wake = null;
      boolean more;
      synchronized (this) {
        queuedBytes -= task.bytes();
        if (drained != null && queuedBytes <= maxQueuedBytes / 2) {
          wake = drained;
          drained = null;
        }
        more = !tasks.isEmpty();
        if (!more) {
          running = false;
        }
      }
      if (more) {
        executor.execute(this::runOne);
      }
      if (wake != null) {
        wake.complete(null);
      }
    }
  }
}
