package dev.felix.client.internal;

import dev.felix.client.ReceivedRecord;
import dev.felix.client.RecordListener;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivers one subscription's records in turns on the client's shared listener pool ({@code
 * FelixOptions.listenerThreads}): a turn is scheduled when records arrive and none is pending,
 * delivers at most {@link #RECORDS_PER_TURN} records, and schedules the next turn if more wait, so
 * a busy subscription cannot starve the others sharing the pool.
 *
 * <p>Order and exclusivity: at most one turn per subscription is scheduled or running ({@code
 * scheduled}), so its listener is never called concurrently and sees records in order. The pool's
 * queue holds at most one task per subscription, so it is bounded by the subscriptions.
 *
 * <p>Threads: {@link #signal()} from any thread (the event loop on arrival); turns on the pool.
 */
final class PooledRecordDispatcher implements ListenerDispatch, Runnable {
  static final int RECORDS_PER_TURN = 256;

  private final ReceiveBuffer buffer;
  private final RecordListener listener;
  private final Callbacks callbacks;
  private final String label;
  private final Executor pool;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition turnEnded = lock.newCondition();
  private volatile boolean started;
  private volatile boolean stopped;
  private volatile Thread running;

  PooledRecordDispatcher(
      ReceiveBuffer buffer,
      RecordListener listener,
      Callbacks callbacks,
      String label,
      Executor pool) {
    this.buffer = buffer;
    this.listener = listener;
    this.callbacks = callbacks;
    this.label = label;
    this.pool = pool;
    buffer.onChange(this::signal);
  }

  @Override
  public void start() {
    started = true;
    signal();
  }

  /** Something changed in the buffer: make sure a turn will look at it. */
  void signal() {
    if (!started || stopped || !scheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      pool.execute(this);
    } catch (RejectedExecutionException e) {
      scheduled.set(false); // the client is closing; its subscriptions end with it
    }
  }

  @Override
  public void run() {
    running = Thread.currentThread();
    try {
      for (int delivered = 0; delivered < RECORDS_PER_TURN && !stopped; delivered++) {
        ReceivedRecord record = buffer.poll(0);
        if (record == null) {
          break;
        }
        ListenerDispatch.deliver(listener, record, callbacks, label);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the pool is shutting down
    } finally {
      running = null;
      scheduled.set(false);
      lock.lock();
      try {
        turnEnded.signalAll();
      } finally {
        lock.unlock();
      }
    }
    // Records that arrived during the turn signalled while it was still scheduled: look again.
    if (buffer.records() > 0) {
      signal();
    }
  }

  @Override
  public void stop(long boundMillis) {
    stopped = true;
    if (Thread.currentThread() == running) {
      return;
    }
    awaitIdle(boundMillis);
  }

  @Override
  public void awaitDrained(long boundMillis) {
    if (Thread.currentThread() == running) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundMillis);
    lock.lock();
    try {
      while (!stopped && !buffer.isDrained() && System.nanoTime() < deadline) {
        signal();
        // Woken by the end of a turn; the timeout covers a buffer that has not ended yet.
        turnEnded.awaitNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Waits (bounded) until no turn is scheduled or running. */
  private void awaitIdle(long boundMillis) {
    long left = TimeUnit.MILLISECONDS.toNanos(boundMillis);
    lock.lock();
    try {
      while (scheduled.get() && left > 0) {
        left = turnEnded.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
