package dev.felix.broker.core;

import dev.felix.broker.BrokerMetrics;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker-wide counters behind {@link BrokerMetrics}. Lock-free: every field is a {@link
 * LongAdder} or atomic that any thread may update, so counting never contends on the hot path.
 */
public final class BrokerCounters implements BrokerMetrics {
  final AtomicInteger streams = new AtomicInteger();
  final LongAdder streamsCreated = new LongAdder();
  final LongAdder streamLimitRejections = new LongAdder();
  final LongAdder publishRequests = new LongAdder();
  final LongAdder publishedRecords = new LongAdder();
  final LongAdder publishedBytes = new LongAdder();
  final LongAdder publishBlocked = new LongAdder();
  final LongAdder publishDuplicates = new LongAdder();
  final LongAdder producersForgotten = new LongAdder();
  final AtomicInteger cursors = new AtomicInteger();
  final LongAdder cursorCommits = new LongAdder();
  final LongAdder producerBatchesRecovered = new LongAdder();
  final LongAdder publishErrors = new LongAdder();
  final AtomicInteger subscriptions = new AtomicInteger();

  /**
   * Counts one more subscription (plain or group member), refusing it past {@code max}; the caller
   * decrements {@link #subscriptions} when it ends (or when opening it fails later).
   *
   * @throws LimitException {@code LIMIT_EXCEEDED} at the bound
   */
  void reserveSubscription(int max) {
    if (subscriptions.incrementAndGet() > max) {
      subscriptions.decrementAndGet();
      throw new LimitException(
          ErrorCode.LIMIT_EXCEEDED, "the broker holds its maximum of " + max + " subscriptions");
    }
  }

  final LongAdder subscriptionsOpened = new LongAdder();
  final LongAdder eventBatchesEncoded = new LongAdder();
  final LongAdder eventBatchesDelivered = new LongAdder();
  final LongAdder eventRecordsDelivered = new LongAdder();
  final LongAdder eventBytesDelivered = new LongAdder();
  final LongAdder sendQueueBytes = new LongAdder();
  final LongAdder droppedRecords = new LongAdder();
  final LongAdder dropNotices = new LongAdder();
  final LongAdder slowConsumerDisconnects = new LongAdder();

  public BrokerCounters() {}

  @Override
  public long streams() {
    return streams.get();
  }

  @Override
  public long streamsCreated() {
    return streamsCreated.sum();
  }

  @Override
  public long streamLimitRejections() {
    return streamLimitRejections.sum();
  }

  @Override
  public long publishRequests() {
    return publishRequests.sum();
  }

  @Override
  public long publishedRecords() {
    return publishedRecords.sum();
  }

  @Override
  public long publishedBytes() {
    return publishedBytes.sum();
  }

  @Override
  public long publishBlocked() {
    return publishBlocked.sum();
  }

  @Override
  public long publishDuplicates() {
    return publishDuplicates.sum();
  }

  @Override
  public long cursors() {
    return cursors.get();
  }

  @Override
  public long cursorCommits() {
    return cursorCommits.sum();
  }

  @Override
  public long producersForgotten() {
    return producersForgotten.sum();
  }

  @Override
  public long producerBatchesRecovered() {
    return producerBatchesRecovered.sum();
  }

  @Override
  public long publishErrors() {
    return publishErrors.sum();
  }

  @Override
  public long subscriptions() {
    return subscriptions.get();
  }

  @Override
  public long subscriptionsOpened() {
    return subscriptionsOpened.sum();
  }

  @Override
  public long eventBatchesEncoded() {
    return eventBatchesEncoded.sum();
  }

  @Override
  public long eventBatchesDelivered() {
    return eventBatchesDelivered.sum();
  }

  @Override
  public long eventRecordsDelivered() {
    return eventRecordsDelivered.sum();
  }

  @Override
  public long eventBytesDelivered() {
    return eventBytesDelivered.sum();
  }

  @Override
  public long sendQueueBytes() {
    return sendQueueBytes.sum();
  }

  @Override
  public long droppedRecords() {
    return droppedRecords.sum();
  }

  @Override
  public long dropNotices() {
    return dropNotices.sum();
  }

  @Override
  public long slowConsumerDisconnects() {
    return slowConsumerDisconnects.sum();
  }
}
