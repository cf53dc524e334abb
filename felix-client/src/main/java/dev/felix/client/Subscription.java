package dev.felix.client;

import dev.felix.error.FelixException;
import dev.felix.wire.message.StreamRef;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An open subscription: a cursor over a stream that survives reconnects.
 *
 * <p>Records arrive into a bounded receive buffer. With a {@link RecordListener} they are handed to
 * it on the subscription's dispatcher thread; without one the application takes them with {@link
 * #poll(Duration)} or the blocking {@link #iterator()}. While the buffer is full the client stops
 * reading this subscription's QUIC stream, so QUIC flow control slows the broker for this
 * subscription alone.
 *
 * <p>After a reconnect the subscription continues after the last record it received from each
 * shard: no duplicate and no gap, as long as the broker still retains those records (otherwise
 * {@link ClientListener#onResumeGap} or {@link ClientListener#onSubscriptionEnded} says so).
 *
 * <p>Thread-safe.
 */
public interface Subscription extends AutoCloseable, Iterable<ReceivedRecord> {

  /**
   * The stream subscribed to.
   *
   * @return the stream
   */
  StreamRef stream();

  /**
   * The options it was opened with.
   *
   * @return the options
   */
  SubscribeOptions options();

  /**
   * Takes the next record, waiting up to {@code timeout}.
   *
   * @param timeout how long to wait
   * @return the record; null when none arrived in time, or when the subscription is over and its
   *     buffer is drained (see {@link #isActive()} and {@link #failure()})
   * @throws InterruptedException when the waiting thread is interrupted
   * @throws IllegalStateException when the subscription delivers to a {@link RecordListener}
   */
  ReceivedRecord poll(Duration timeout) throws InterruptedException;

  /**
   * A blocking iterator: {@code hasNext()} waits until a record arrives or the subscription ends.
   * It returns false after {@link #close()}; when the broker ended the subscription it throws that
   * {@link FelixException} once the buffered records are consumed. An interrupt while waiting
   * throws {@link dev.felix.error.UnavailableException} with the interrupt flag set.
   *
   * @return the iterator
   * @throws IllegalStateException when the subscription delivers to a {@link RecordListener}
   */
  @Override
  Iterator<ReceivedRecord> iterator();

  /**
   * Per shard, the offset of the next record this subscription expects: one past the last record
   * received, or where the broker said it would start. This is where a reconnect resumes.
   *
   * @return a snapshot, shard to next offset
   */
  Map<Integer, Long> nextOffsets();

  /**
   * Commits the {@linkplain SubscribeOptions#cursor() named cursor}: per shard, the offset after
   * the last record the application has taken (returned by {@link #poll}, by the iterator, or
   * passed to the listener and returned from it). Waits until the broker stored it (on a durable
   * stream, forced to disk). Nothing to commit returns at once. Positions never move backwards.
   *
   * @throws IllegalStateException when the subscription has no cursor
   * @throws FelixException the broker's refusal, {@code UNSUPPORTED_FEATURE} when it does not grant
   *     {@code DURABLE_CURSORS}, {@code UNAVAILABLE}/{@code TIMEOUT} without a connection or answer
   */
  void commit();

  /**
   * Like {@link #commit()} without waiting.
   *
   * @return completes when the broker stored the positions; fails like {@link #commit()}. It
   *     completes on a client thread: do not block in its callbacks
   * @throws IllegalStateException when the subscription has no cursor
   */
  CompletableFuture<Void> commitAsync();

  /**
   * Records received but not yet taken by the application.
   *
   * @return the buffered record count
   */
  int bufferedRecords();

  /**
   * True until the subscription is closed or ended by the broker.
   *
   * @return whether records may still arrive
   */
  boolean isActive();

  /**
   * Why the broker ended the subscription, if it did.
   *
   * @return the failure, or empty while active or after {@link #close()}
   */
  Optional<FelixException> failure();

  /**
   * Unsubscribes: sends Unsubscribe and waits (up to the request timeout) for the broker's Ok.
   * Buffered records are discarded and a listener receives no further records. The subscription is
   * over locally even when the broker does not answer. Idempotent.
   *
   * @throws dev.felix.error.UnavailableException ({@code TIMEOUT}) when the broker did not confirm
   *     in time
   */
  @Override
  void close();
}
