package dev.felix.broker;

import dev.felix.error.FelixException;
import dev.felix.wire.message.EventsDropped;

/**
 * Where a subscription's deliveries go: implemented by the server (one QUIC stream per
 * subscription) and by tests. The broker keeps a bounded send queue in front of each sink and
 * offers it one item at a time, in order.
 *
 * <p>Writability contract: an {@code offer} returns {@code true} when the sink took the item (it
 * now owns sending it) and {@code false} when it cannot take more right now. After a {@code false}
 * the broker offers nothing more until the sink calls {@link Subscription#onWritable()}, which it
 * must do once it can take items again (for Netty: on {@code channelWritabilityChanged} to
 * writable). Items queue in the broker meanwhile, where the stream's {@link BackPressurePolicy}
 * bounds them.
 *
 * <p>Threading: the broker calls a sink from publisher, timer and writability threads, but never
 * concurrently (calls hold the subscription's lock). Methods must not block and should not call
 * back into the broker synchronously; hand work to the transport's own thread instead. Two
 * call-backs are tolerated: {@link Subscription#onWritable()} (the running drain retries) and
 * {@link Subscription#close()} (its clean-up then runs on a scheduler thread). A sink that throws
 * ends its own subscription with {@code INTERNAL}; nobody else notices.
 */
public interface EventSink {
  /**
   * Offers one event batch. Send {@link SharedEvents#writePrefix prefix} then {@link
   * SharedEvents#shared() shared bytes}; the same {@code events} instance goes to every subscriber
   * of the shard, so never modify it.
   */
  boolean offer(SharedEvents events);

  /** Offers a drop notice; it comes in order with the events around it. */
  boolean offer(EventsDropped notice);

  /**
   * The broker ended the subscription: {@code SLOW_CONSUMER} under the {@code disconnect} policy,
   * {@code UNAVAILABLE} when the broker closes. Nothing is offered afterwards. Not called when the
   * owner closed the subscription itself.
   */
  void onClose(FelixException reason);
}
