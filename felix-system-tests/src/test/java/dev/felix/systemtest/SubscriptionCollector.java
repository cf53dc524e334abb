package dev.felix.systemtest;

import dev.felix.client.ReceivedRecord;
import dev.felix.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Takes records from a polling {@link Subscription} on a thread of its own, as fast as they come,
 * and keeps them in arrival order for assertions. Stops when closed or when the subscription ends
 * and its buffer is drained.
 */
final class SubscriptionCollector implements AutoCloseable {
  private final Subscription subscription;
  private final List<ReceivedRecord> records = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean finished;

  private SubscriptionCollector(Subscription subscription, String name) {
    this.subscription = subscription;
    this.thread = new Thread(this::run, "collector-" + name);
    thread.setDaemon(true);
  }

  /** Starts collecting from {@code subscription} now. */
  static SubscriptionCollector start(Subscription subscription, String name) {
    SubscriptionCollector collector = new SubscriptionCollector(subscription, name);
    collector.thread.start();
    return collector;
  }

  private void run() {
    try {
      while (running) {
        ReceivedRecord record = subscription.poll(Duration.ofMillis(100));
        if (record != null) {
          records.add(record);
        } else if (!subscription.isActive() && subscription.bufferedRecords() == 0) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finished = true;
    }
  }

  /** Waits until at least {@code count} records have arrived. */
  SubscriptionCollector awaitCount(int count, Duration timeout) {
    Await.until(
        () -> "at least " + count + " records on " + subscription + ", got " + records.size(),
        () -> records.size() >= count,
        timeout);
    return this;
  }

  /** Records received so far, in arrival order. */
  List<ReceivedRecord> records() {
    return List.copyOf(records);
  }

  int size() {
    return records.size();
  }

  /** Offsets received so far, in arrival order. */
  List<Long> offsets() {
    List<Long> offsets = new ArrayList<>();
    for (ReceivedRecord record : records) {
      offsets.add(record.offset());
    }
    return offsets;
  }

  /** The offset of the last record received, or -1 before the first. */
  long lastOffset() {
    int size = records.size();
    return size == 0 ? -1 : records.get(size - 1).offset();
  }

  /** True once the subscription ended and everything it buffered was taken. */
  boolean isFinished() {
    return finished;
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
