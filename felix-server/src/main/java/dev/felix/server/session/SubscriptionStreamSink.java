package dev.felix.server.session;

import dev.felix.broker.EventSink;
import dev.felix.broker.SharedEvents;
import dev.felix.broker.Subscription;
import dev.felix.error.FelixException;
import dev.felix.transport.CloseReason;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.EventsDropped;
import dev.felix.wire.message.Subscribed;
import java.nio.ByteBuffer;

/**
 * One subscription's QUIC stream, seen by the broker as its {@link EventSink}: an outbound proxy
 * that writes the 20-byte per-subscriber prefix in front of each shared event batch. The broker's
 * bounded send queue sits in front of it; this sink refuses items while the QUIC stream is not
 * writable and calls {@link Subscription#onWritable()} when it is again.
 *
 * <p>Until {@link #start} has written Subscribed (always the first frame of the stream) every offer
 * is refused, so events never overtake the answer.
 *
 * <p>Threading: offers come from broker threads (one at a time, per the EventSink contract), stream
 * callbacks from the event loop; the fields are volatile hand-overs.
 */
final class SubscriptionStreamSink implements EventSink, StreamListener {
  private final int subscriptionId;
  private final int subscribeRequestId;
  private final ClientSession session;
  private final ServerMetrics metrics;
  private volatile FrameStream stream;
  private volatile Subscription subscription;
  private volatile boolean started;

  SubscriptionStreamSink(
      int subscriptionId, int subscribeRequestId, ClientSession session, ServerMetrics metrics) {
    this.subscriptionId = subscriptionId;
    this.subscribeRequestId = subscribeRequestId;
    this.session = session;
    this.metrics = metrics;
  }

  int subscriptionId() {
    return subscriptionId;
  }

  void attach(FrameStream stream) {
    this.stream = stream;
  }

  /** Writes Subscribed first, then lets the broker deliver. */
  void start(Subscription subscription) {
    this.subscription = subscription;
    stream.write(
        FrameCodec.encode(
            subscribeRequestId, new Subscribed(subscriptionId, subscription.startOffsets())));
    started = true;
    subscription.onWritable();
  }

  /** The client unsubscribed: finish the stream after what is already queued. */
  void finish() {
    started = false;
    FrameStream current = stream;
    if (current != null) {
      current.finish();
    }
  }

  @Override
  public boolean offer(SharedEvents events) {
    FrameStream current = stream;
    if (!started || current == null || !current.isWritable()) {
      return false;
    }
    ByteBuffer prefix = ByteBuffer.allocate(EventBatch.PREFIX_BYTES);
    events.writePrefix(prefix, 0, subscriptionId);
    if (current.write(prefix, events.shared())) {
      metrics.delivered(System.nanoTime() - events.encodedAtNanos());
    }
    // A false write means the stream is gone; taking the item lets the subscription be closed by
    // onClosed instead of waiting for a writability signal that will never come.
    return true;
  }

  @Override
  public boolean offer(EventsDropped notice) {
    FrameStream current = stream;
    if (!started || current == null || !current.isWritable()) {
      return false;
    }
    current.write(FrameCodec.encode(0, notice));
    return true;
  }

  @Override
  public void onClose(FelixException reason) {
    FrameStream current = stream;
    metrics.error(reason.code());
    if (current != null) {
      current.write(FrameCodec.encode(subscribeRequestId, ErrorReply.of(reason)));
      current.finish();
    }
    session.subscriptionEnded(subscriptionId);
  }

  @Override
  public void onFrame(FrameStream stream, ByteBuffer frame) {
    // Subscription streams are unidirectional (server to client): no frames arrive.
  }

  @Override
  public void onWritabilityChanged(FrameStream stream, boolean writable) {
    Subscription current = subscription;
    if (writable && started && current != null) {
      current.onWritable();
    }
  }

  @Override
  public void onClosed(FrameStream stream, CloseReason reason) {
    started = false;
    session.subscriptionEnded(subscriptionId);
  }
}
