package dev.felix.client;

import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.StreamRef;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to a Felix broker that publishes and subscribes, reconnecting after losses. Created
 * by {@link Felix#connect(FelixOptions)}; thread-safe; close it to release its threads.
 *
 * <p>A bare stream name means tenant {@code default}, namespace {@code default}. Failures are the
 * typed exceptions of {@code dev.felix.error}: {@link dev.felix.error.NotFoundException}, {@link
 * dev.felix.error.AuthException}, {@link dev.felix.error.LimitException} ({@code BACKPRESSURE},
 * {@code MESSAGE_TOO_LARGE}, ...), {@link dev.felix.error.UnavailableException} ({@code
 * UNAVAILABLE} when the connection was lost, {@code TIMEOUT} when no answer came in time), each
 * with its {@link dev.felix.error.ErrorCode}.
 */
public interface FelixClient extends AutoCloseable {

  /**
   * Publishes one record to a stream in tenant and namespace {@code default}, acknowledged by the
   * shard leader, and waits for the acknowledgement.
   *
   * @param stream the stream name
   * @param payload the body; copied
   * @return where the record went
   * @throws dev.felix.error.FelixException typed, with the broker's or the client's error code
   */
  PublishReceipt publish(String stream, byte[] payload);

  /**
   * Publishes one record and waits for the leader's acknowledgement.
   *
   * @param stream tenant, namespace and stream
   * @param payload the body; copied
   * @return where the record went
   * @throws dev.felix.error.FelixException typed, with the broker's or the client's error code
   */
  PublishReceipt publish(StreamRef stream, byte[] payload);

  /**
   * Publishes a message and waits: for its acknowledgement with ack mode LEADER, until it is handed
   * to the transport with NONE.
   *
   * @param message the record, its stream, shard and ack mode
   * @return where the record went ({@link PublishReceipt#acknowledged()} false with NONE)
   * @throws dev.felix.error.FelixException typed, with the broker's or the client's error code
   */
  PublishReceipt publish(OutgoingMessage message);

  /**
   * Publishes one record without waiting. Concurrent publishes to the same stream are batched.
   *
   * @param stream the stream name (tenant and namespace {@code default})
   * @param payload the body; copied
   * @return completes, on the client's callback thread, with the receipt or a typed exception
   */
  CompletableFuture<PublishReceipt> publishAsync(String stream, byte[] payload);

  /**
   * Publishes one record without waiting.
   *
   * @param stream tenant, namespace and stream
   * @param payload the body; copied
   * @return completes, on the client's callback thread, with the receipt or a typed exception
   */
  CompletableFuture<PublishReceipt> publishAsync(StreamRef stream, byte[] payload);

  /**
   * Publishes a message without waiting. When the local publish queue is full the future fails at
   * once with {@link dev.felix.error.LimitException} {@code BACKPRESSURE}; when only the in-flight
   * window is full it completes later, as acknowledgements make room.
   *
   * @param message the record, its stream, shard and ack mode
   * @return completes, on the client's callback thread, with the receipt or a typed exception
   */
  CompletableFuture<PublishReceipt> publishAsync(OutgoingMessage message);

  /**
   * Subscribes for polling ({@link Subscription#poll}, {@link Subscription#iterator()}). Waits
   * until the broker confirmed the subscription.
   *
   * @param stream the stream name (tenant and namespace {@code default})
   * @param options start position, shard and buffer bounds
   * @return the open subscription
   * @throws dev.felix.error.FelixException typed, e.g. {@code NOT_FOUND}, {@code
   *     OFFSET_OUT_OF_RANGE}, {@code LIMIT_EXCEEDED} (the broker's maxSubscriptions)
   */
  Subscription subscribe(String stream, SubscribeOptions options);

  /**
   * Subscribes for polling.
   *
   * @param stream tenant, namespace and stream
   * @param options start position, shard and buffer bounds
   * @return the open subscription
   * @throws dev.felix.error.FelixException typed, as {@link #subscribe(String, SubscribeOptions)}
   */
  Subscription subscribe(StreamRef stream, SubscribeOptions options);

  /**
   * Subscribes and delivers every record to {@code listener} on a dispatcher thread of its own.
   *
   * @param stream the stream name (tenant and namespace {@code default})
   * @param options start position, shard and buffer bounds
   * @param listener receives the records in order per shard
   * @return the open subscription
   * @throws dev.felix.error.FelixException typed, as {@link #subscribe(String, SubscribeOptions)}
   */
  Subscription subscribe(String stream, SubscribeOptions options, RecordListener listener);

  /**
   * Subscribes and delivers every record to {@code listener} on a dispatcher thread of its own.
   *
   * @param stream tenant, namespace and stream
   * @param options start position, shard and buffer bounds
   * @param listener receives the records in order per shard
   * @return the open subscription
   * @throws dev.felix.error.FelixException typed, as {@link #subscribe(String, SubscribeOptions)}
   */
  Subscription subscribe(StreamRef stream, SubscribeOptions options, RecordListener listener);

  /**
   * Joins consumer group {@code group} of a stream in the default tenant and namespace, for
   * polling; a new group starts at the earliest record. Waits until the broker confirmed.
   *
   * @param stream the stream name
   * @param group the group name
   * @return the member: poll, then ack or nack each record
   * @throws dev.felix.error.FelixException typed, as {@link #subscribe(String, SubscribeOptions)};
   *     {@code UNSUPPORTED_FEATURE} when the broker does not offer consumer groups
   */
  QueueConsumer consumer(String stream, String group);

  /**
   * Joins a consumer group for polling.
   *
   * @param stream tenant, namespace and stream
   * @param group the group name
   * @param options where a new group starts, shard, lease allowance
   * @return the member
   * @throws dev.felix.error.FelixException typed, as {@link #consumer(String, String)}
   */
  QueueConsumer consumer(StreamRef stream, String group, ConsumerOptions options);

  /**
   * Joins a consumer group and hands each leased record to {@code handler} on a dispatcher thread:
   * the record is acked when the handler returns and nacked (redelivered at once) when it throws.
   *
   * @param stream tenant, namespace and stream
   * @param group the group name
   * @param options where a new group starts, shard, lease allowance
   * @param handler processes one record
   * @return the member
   * @throws dev.felix.error.FelixException typed, as {@link #consumer(String, String)}
   */
  QueueConsumer consumer(
      StreamRef stream, String group, ConsumerOptions options, RecordListener handler);

  /**
   * A named cache in the default tenant and namespace. The handle is cheap; the cache itself is
   * created on the broker by the first write when auto-create is on.
   *
   * @param name the cache name
   * @return the cache handle
   */
  FelixCache cache(String name);

  /**
   * A named cache, fully scoped.
   *
   * @param cache tenant, namespace and name
   * @return the cache handle
   */
  FelixCache cache(CacheRef cache);

  /**
   * What the broker of the current (or last) connection announced.
   *
   * @return the server's identity and limits
   */
  ServerInfo serverInfo();

  /**
   * Where the connection stands.
   *
   * @return the current state
   */
  ConnectionState state();

  /**
   * Closes the client: stops accepting publishes, waits up to the request timeout for queued and
   * in-flight publishes to be acknowledged, unsubscribes every subscription, closes the connection
   * and stops every thread the client started. Publishes that could not finish fail with {@link
   * dev.felix.error.UnavailableException}. Idempotent; safe to call from a listener.
   */
  @Override
  void close();
}
