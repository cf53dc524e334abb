package dev.felix.client.internal;

import dev.felix.client.ReceivedRecord;
import dev.felix.client.RecordListener;

/**
 * The thread that hands one subscription's records to its {@link RecordListener}. One thread per
 * listener subscription, so that a slow listener holds back only its own subscription (whose full
 * buffer then pauses only its own QUIC stream), never another one or the network.
 */
final class RecordDispatcher implements ListenerDispatch, Runnable {
  private final ReceiveBuffer buffer;
  private final RecordListener listener;
  private final Callbacks callbacks;
  private final String label;
  private final Thread thread;
  private volatile boolean stopped;

  RecordDispatcher(
      ClientThreads threads,
      ReceiveBuffer buffer,
      RecordListener listener,
      Callbacks callbacks,
      String label) {
    this.buffer = buffer;
    this.listener = listener;
    this.callbacks = callbacks;
    this.label = label;
    this.thread = threads.newDispatcher(this, label);
  }

  @Override
  public void start() {
    thread.start();
  }

  @Override
  public void run() {
    while (!stopped) {
      ReceivedRecord record;
      try {
        record = buffer.poll(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        return;
      }
      if (record == null) {
        if (buffer.isDrained()) {
          return;
        }
        continue;
      }
      deliver(record);
    }
  }

  private void deliver(ReceivedRecord record) {
    ListenerDispatch.deliver(listener, record, callbacks, label);
  }

  /**
   * Stops delivering: the listener gets no further record. Waits (bounded) for a running callback
   * to return, unless called from the dispatcher itself.
   */
  @Override
  public void stop(long boundMillis) {
    stopped = true;
    if (Thread.currentThread() == thread) {
      return;
    }
    thread.interrupt();
    try {
      thread.join(boundMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits (bounded) until the dispatcher delivered what was buffered and ended. */
  @Override
  public void awaitDrained(long boundMillis) {
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      thread.join(boundMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
