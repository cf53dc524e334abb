package dev.felix.broker.core;

import dev.felix.broker.PublishResult;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.ProtocolException;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Moves records that exhausted their deliveries to the group's dead-letter stream (by default
 * {@code <stream><suffix>}, {@code orders.dlq}; see {@code GroupSettings}), through the normal
 * publish path. The dead-letter stream is created on first use with the source stream's settings on
 * one shard, so a durable source gets a durable dead-letter stream. The record keeps its key,
 * payload, timestamp and headers, and gains:
 *
 * <ul>
 *   <li>{@value #REASON}: why ({@code max-deliveries})
 *   <li>{@value #DELIVERIES}: how often it was delivered
 *   <li>{@value #SOURCE}: {@code tenant/namespace/stream/shard/offset} it came from
 *   <li>{@value #GROUP}: the group that gave up on it
 * </ul>
 *
 * <p>A record that no longer fits with the extra headers (size or header-count limits) is moved
 * without them rather than kept forever. Threading: stateless; safe from any thread.
 */
final class DeadLetters {
  static final String REASON = "felix-dlq-reason";
  static final String DELIVERIES = "felix-dlq-deliveries";
  static final String SOURCE = "felix-dlq-source";
  static final String GROUP = "felix-dlq-group";
  static final String MAX_DELIVERIES = "max-deliveries";

  private final StreamRegistry streams;
  private final PublishCoordinator publisher;

  DeadLetters(StreamRegistry streams, PublishCoordinator publisher) {
    this.streams = streams;
    this.publisher = publisher;
  }

  /**
   * Publishes one dead letter.
   *
   * @return completes when the record is appended (as safe as the dead-letter stream's log makes
   *     it); null when the dead-letter stream held the publish back (retry later)
   * @throws FelixException when it cannot be published now (stream limit, broker closing)
   */
  CompletionStage<PublishAck> publish(
      Stream source,
      StreamRef target,
      String group,
      int shard,
      long offset,
      int deliveries,
      RecordData record) {
    if (streams.find(target) == null) {
      streams.create(target, source.config().withShards(1), false);
    }
    List<Header> headers = new ArrayList<>(record.headers());
    headers.add(Header.of(REASON, MAX_DELIVERIES));
    headers.add(Header.of(DELIVERIES, Integer.toString(deliveries)));
    headers.add(Header.of(SOURCE, source.ref() + "/" + shard + "/" + offset));
    headers.add(Header.of(GROUP, group));
    PublishResult result;
    try {
      result =
          publish(
              target,
              new RecordData(record.key(), headers, record.timestampMs(), record.payload()));
    } catch (LimitException | ProtocolException e) {
      result = publish(target, record); // too large with the extra headers: move it as it is
    }
    if (!result.isAccepted()) {
      return null;
    }
    return result
        .ack()
        .thenApply(
            ack -> {
              for (PublishAck.Range range : ack.ranges()) {
                if (!range.isSuccess()) {
                  throw new FelixException(
                      ErrorCode.fromCode(range.errorCode()), "dead-letter append failed");
                }
              }
              return ack;
            });
  }

  private PublishResult publish(StreamRef target, RecordData record) {
    return publisher.publish(
        PublishTarget.of(target, AckMode.LEADER), RecordBatch.of(List.of(record)));
  }
}
