package dev.felix.client.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads one client owns besides the transport's event loop: a scheduler (timers and
 * asynchronous batch sends), a callback thread ({@code ClientListener} and {@code publishAsync}
 * completions), and either one dispatcher per listener subscription or, with {@code
 * FelixOptions.listenerThreads}, a pool those subscriptions share. All are daemon threads named
 * {@code felix-client-<n>-...}, so a dump shows whose they are; {@link #shutdown} stops them.
 *
 * <p>Why a separate callback thread: application code there may block, and must delay neither
 * timers nor the network.
 */
final class ClientThreads {
  private static final Logger LOG = LoggerFactory.getLogger(ClientThreads.class);
  private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

  private final String name;
  private final ScheduledThreadPoolExecutor scheduler;
  private final ThreadPoolExecutor callbacks;
  private final AtomicInteger dispatcherIds = new AtomicInteger();

  /** The shared listener pool (FelixOptions.listenerThreads), created on first use. */
  private ExecutorService listenerPool;

  private volatile Thread schedulerThread;
  private volatile Thread callbackThread;

  ClientThreads() {
    this.name = "felix-client-" + CLIENT_IDS.incrementAndGet();
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1, factory(name + "-scheduler", thread -> schedulerThread = thread));
    // Cancelled linger and timeout tasks would otherwise stay queued until their delay passed.
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.callbacks =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            factory(name + "-callbacks", thread -> callbackThread = thread));
  }

  /** Thread-name prefix of this client, e.g. {@code felix-client-3}. */
  String name() {
    return name;
  }

  /** Runs {@code task} soon on the scheduler thread; dropped once the client is closed. */
  void execute(Runnable task) {
    try {
      scheduler.execute(guarded(task));
    } catch (RejectedExecutionException e) {
      LOG.debug("{}: scheduler closed; task dropped", name);
    }
  }

  /** Runs {@code task} on the scheduler after {@code delayNanos}; null once closed. */
  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    try {
      return scheduler.schedule(guarded(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** Runs {@code task} every {@code periodNanos} on the scheduler; null once closed. */
  ScheduledFuture<?> every(Runnable task, long periodNanos) {
    try {
      return scheduler.scheduleWithFixedDelay(
          guarded(task), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** The callback executor (single thread). */
  ExecutorService callbackExecutor() {
    return callbacks;
  }

  /** A new, not yet started dispatcher thread for a listener subscription. */
  Thread newDispatcher(Runnable body, String label) {
    Thread thread =
        new Thread(body, name + "-sub-" + dispatcherIds.incrementAndGet() + "-" + label);
    thread.setDaemon(true);
    return thread;
  }

  /** True on the scheduler or callback thread, where waiting for them would deadlock. */
  boolean isOwnThread() {
    Thread current = Thread.currentThread();
    return current == schedulerThread || current == callbackThread;
  }

  /**
   * The pool of {@code threads} listener threads shared by this client's listener subscriptions
   * (created on first use). Its queue holds at most one task per subscription ({@link
   * PooledRecordDispatcher}), so it is bounded by the subscriptions.
   */
  synchronized ExecutorService listenerPool(int threads) {
    if (listenerPool == null) {
      AtomicInteger ids = new AtomicInteger();
      listenerPool =
          Executors.newFixedThreadPool(
              threads,
              runnable -> {
                Thread thread = new Thread(runnable, name + "-listener-" + ids.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
    }
    return listenerPool;
  }

  /**
   * Stops the scheduler at once and the callback thread after the callbacks already queued (so that
   * {@code onClosed} and the last future completions still run), waiting up to {@code boundMillis}
   * unless called from one of these threads.
   */
  void shutdown(long boundMillis) {
    scheduler.shutdownNow();
    callbacks.shutdown();
    synchronized (this) {
      if (listenerPool != null) {
        listenerPool.shutdownNow(); // subscriptions were stopped (bounded) before this
      }
    }
    if (isOwnThread()) {
      return;
    }
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundMillis);
      scheduler.awaitTermination(boundMillis, TimeUnit.MILLISECONDS);
      long left = deadline - System.nanoTime();
      if (!callbacks.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
        LOG.warn("{}: a listener callback is still running after close; interrupting it", name);
        callbacks.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        // A failing timer must not cancel the periodic tasks that share the thread.
        LOG.warn("{}: internal task failed", name, e);
      }
    };
  }

  private static ThreadFactory factory(
      String threadName, java.util.function.Consumer<Thread> seen) {
    return runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      seen.accept(thread);
      return thread;
    };
  }
}
