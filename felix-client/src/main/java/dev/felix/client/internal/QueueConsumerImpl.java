package dev.felix.client.internal;

import dev.felix.client.QueueConsumer;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.SubscribeOptions;
import dev.felix.error.FelixException;
import dev.felix.wire.message.StreamRef;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The application's view of a consumer-group member: a {@link SubscriptionImpl} in group mode, plus
 * ack and nack. A separate class so that a plain subscription is never a {@link QueueConsumer}.
 * Thread-safe (delegates).
 */
final class QueueConsumerImpl implements QueueConsumer {
  /** QueueNack carries the delay as u32 milliseconds that must fit a Java int. */
  private static final long MAX_DELAY_MS = Integer.MAX_VALUE;

  private final SubscriptionImpl member;

  QueueConsumerImpl(SubscriptionImpl member) {
    this.member = member;
  }

  @Override
  public String group() {
    return member.group().name();
  }

  @Override
  public void ack(ReceivedRecord record) {
    member.settle(record, true, 0);
  }

  @Override
  public void nack(ReceivedRecord record, Duration delay) {
    long ms = Math.max(0, Math.min(MAX_DELAY_MS, delay.toMillis()));
    member.settle(record, false, (int) ms);
  }

  @Override
  public StreamRef stream() {
    return member.stream();
  }

  @Override
  public SubscribeOptions options() {
    return member.options();
  }

  @Override
  public ReceivedRecord poll(Duration timeout) throws InterruptedException {
    return member.poll(timeout);
  }

  @Override
  public Iterator<ReceivedRecord> iterator() {
    return member.iterator();
  }

  @Override
  public Map<Integer, Long> nextOffsets() {
    return Map.of();
  }

  /** A group's position moves by ack; members have no cursor ({@code IllegalStateException}). */
  @Override
  public void commit() {
    member.commit();
  }

  @Override
  public java.util.concurrent.CompletableFuture<Void> commitAsync() {
    return member.commitAsync();
  }

  @Override
  public int bufferedRecords() {
    return member.bufferedRecords();
  }

  @Override
  public boolean isActive() {
    return member.isActive();
  }

  @Override
  public Optional<FelixException> failure() {
    return member.failure();
  }

  @Override
  public void close() {
    member.close();
  }

  @Override
  public String toString() {
    return "QueueConsumer[" + member.stream() + "#" + group() + "]";
  }
}
