package dev.felix.client;

import java.time.Duration;

/**
 * A member of a consumer group: the broker leases each record of the stream to one member of the
 * group at a time. Take records with {@link #poll} (then {@link #ack} or {@link #nack} each one),
 * or give a {@link RecordListener} to {@link FelixClient#consumer(StreamRef, String,
 * ConsumerOptions, RecordListener)}, which acks each record when the listener returns and nacks it
 * when the listener throws.
 *
 * <p>A record not acked within the group's visibility timeout is redelivered to a live member, and
 * so are the records of a member that closes or loses its connection: delivery is at least once, so
 * handlers should be idempotent. After the broker's {@code maxDeliveries} a record moves to the
 * dead-letter stream {@code <stream>.dlq}.
 *
 * <p>After a reconnect the member joins its group again; acks of records leased on the lost
 * connection are ignored by the broker (those records come again). {@link #nextOffsets()} is empty:
 * the position belongs to the group, not to the member. Thread-safe.
 */
public interface QueueConsumer extends Subscription {
  /**
   * The group's name.
   *
   * @return the group
   */
  String group();

  /**
   * The record is done: the broker ends its lease. Does not wait: acks are sent in batches within a
   * millisecond; a failure reaches {@link ClientListener#onError}.
   *
   * @param record a record this consumer received
   */
  void ack(ReceivedRecord record);

  /**
   * Gives the record back for redelivery after {@code delay} ({@link Duration#ZERO}: at once).
   * Counts as a delivery towards the group's {@code maxDeliveries}. Does not wait.
   *
   * @param record a record this consumer received
   * @param delay how long the broker waits before redelivering it
   */
  void nack(ReceivedRecord record, Duration delay);
}
