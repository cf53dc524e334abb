package dev.felix.client;

import dev.felix.error.FelixException;
import dev.felix.wire.message.StreamRef;

/**
 * Receives what happens to a client asynchronously: connection changes, drops and lag of
 * subscriptions, the end of a subscription, and failures that no caller is waiting for.
 *
 * <p><b>Threading:</b> every method runs on the client's single callback thread, one call at a time
 * and in the order the events happened; that thread also completes the futures of {@link
 * FelixClient#publishAsync}. Return quickly: a blocked callback delays every later callback and
 * async publish completion (never the network, which runs elsewhere); in particular never wait here
 * for a {@code publishAsync} future, which needs this very thread to complete. Exceptions thrown
 * here are logged and otherwise ignored. Every method has an empty default.
 */
public interface ClientListener {

  /**
   * The first connection's handshake completed ({@link Felix#connect} is about to return).
   *
   * @param server what the broker announced
   */
  default void onConnected(ServerInfo server) {}

  /**
   * The connection was lost or closed after a GoAway. Publishes that were in flight have failed
   * with {@link dev.felix.error.UnavailableException}; queued publishes and subscriptions wait for
   * the reconnect.
   *
   * @param cause why, as an {@code UnavailableException} (or the server's close code)
   * @param reconnecting true when the client will reconnect, false when it closes
   */
  default void onDisconnected(FelixException cause, boolean reconnecting) {}

  /**
   * One reconnect attempt failed; another follows unless the policy's attempts are used up.
   *
   * @param attempt the attempt number, from 1
   * @param cause why it failed
   */
  default void onReconnectFailed(int attempt, FelixException cause) {}

  /**
   * A reconnect completed its handshake. Subscriptions are being resumed after their last received
   * offsets and queued publishes are being sent.
   *
   * @param server what the (possibly different) broker announced
   */
  default void onReconnected(ServerInfo server) {}

  /**
   * The client is closed for good: by {@link FelixClient#close()} (cause null), because
   * reconnecting is disabled, or because the reconnect attempts ran out.
   *
   * @param cause null after {@code close()}, else the last connection failure
   */
  default void onClosed(FelixException cause) {}

  /**
   * The broker dropped records this subscription would have received (the stream's back-pressure
   * policy is {@code drop_oldest} or {@code drop_newest} and the subscription fell behind). Called
   * when the notice arrives; it is not synchronised with the delivery of records, so {@code
   * nextOffset} is what locates the gap.
   *
   * @param subscription the affected subscription
   * @param shard the shard records were dropped from
   * @param droppedCount records skipped since the previous notice
   * @param nextOffset offset of the next record the subscription will receive from the shard
   */
  default void onEventsDropped(
      Subscription subscription, int shard, long droppedCount, long nextOffset) {}

  /**
   * After a reconnect a shard resumed somewhere other than right after the last received record:
   * the records in between are no longer retained (with {@link
   * SubscribeOptions#fromEarliestIfOutOfRange()} the subscription continues from the earliest
   * retained offset), or the broker's log restarted.
   *
   * @param subscription the affected subscription
   * @param shard the shard
   * @param expectedOffset the offset the client asked to resume from
   * @param resumedOffset the offset the broker resumed from
   */
  default void onResumeGap(
      Subscription subscription, int shard, long expectedOffset, long resumedOffset) {}

  /**
   * The broker ended a subscription ({@code SLOW_CONSUMER} under the {@code disconnect} policy, a
   * deleted stream, lost permission, an offset that is gone while resuming without fallback...).
   * Records already buffered are still delivered; then the subscription's iterator throws {@code
   * cause}.
   *
   * @param subscription the ended subscription
   * @param cause the server's error as a typed exception
   */
  default void onSubscriptionEnded(Subscription subscription, FelixException cause) {}

  /**
   * A publish with ack mode NONE failed on the broker (no caller is waiting for it).
   *
   * @param stream the stream the records were published to, or null when the client no longer
   *     remembers which (the answer came very late)
   * @param error the server's error as a typed exception
   */
  default void onPublishFailed(StreamRef stream, FelixException error) {}

  /**
   * Anything else that went wrong with no caller to tell: an Error the server sent unsolicited, a
   * frame that broke the protocol, a record listener that threw.
   *
   * @param error the problem
   */
  default void onError(FelixException error) {}
}
