package dev.felix.server.session;

import dev.felix.broker.Broker;
import dev.felix.broker.PublishResult;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.transport.FrameStream;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import java.util.ArrayDeque;

/**
 * The publishes of one connection, in order. Two things slow a publisher down, both by pausing the
 * control stream so that QUIC flow control pushes back to the client (the server never buffers
 * without bound):
 *
 * <ul>
 *   <li>a stream with the {@code block} policy answers BLOCKED: that publish and every later one
 *       wait here, in order, until the broker says the stream may accept again;
 *   <li>more than {@link SessionLimits#maxInflightPublishBytes} are appended but not yet
 *       acknowledged (durable streams ack after their fsync policy).
 * </ul>
 *
 * <p>Frames already read when the stream is paused still arrive; they queue here up to twice the
 * in-flight bound, beyond which a publish is refused with BACKPRESSURE.
 *
 * <p>Threading: guarded by {@code this}; called from the event loop (frames) and broker threads
 * (ack completion, retry signals).
 */
final class PublishPipeline {
  private record Pending(
      int requestId, PublishTarget target, RecordBatch records, int frameBytes) {}

  private final Broker broker;
  private final FrameStream control;
  private final Replies replies;
  private final ServerMetrics metrics;
  private final long maxInflightBytes;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private long waitingBytes;
  private long inflightBytes;
  private boolean paused;
  private boolean retryScheduled;
  private boolean closed;

  PublishPipeline(
      Broker broker,
      FrameStream control,
      Replies replies,
      ServerMetrics metrics,
      long maxInflightBytes) {
    this.broker = broker;
    this.control = control;
    this.replies = replies;
    this.metrics = metrics;
    this.maxInflightBytes = maxInflightBytes;
  }

  synchronized void submit(
      int requestId, PublishTarget target, RecordBatch records, int frameBytes) {
    if (closed) {
      return;
    }
    metrics.publishReceived(records.count(), frameBytes);
    Pending publish = new Pending(requestId, target, records, frameBytes);
    if (!waiting.isEmpty()) {
      enqueue(publish);
    } else if (!attempt(publish)) {
      enqueue(publish);
    }
    updateReading();
  }

  /** Stops everything: the connection is gone. Pending publishes are not appended. */
  synchronized void close() {
    closed = true;
    waiting.clear();
    metrics.inflightPublishBytes(-inflightBytes);
    inflightBytes = 0;
  }

  private void enqueue(Pending publish) {
    if (waitingBytes + publish.frameBytes() > 2 * maxInflightBytes) {
      replies.error(
          control,
          publish.requestId(),
          new LimitException(
              ErrorCode.BACKPRESSURE,
              "too many publishes waiting on a blocked stream; retry later"));
      return;
    }
    waiting.addLast(publish);
    waitingBytes += publish.frameBytes();
  }

  /** Appends one publish; false when the stream is blocked (nothing appended). */
  private boolean attempt(Pending publish) {
    PublishResult result;
    try {
      result = broker.publish(publish.target(), publish.records());
    } catch (RuntimeException e) {
      replies.error(control, publish.requestId(), e);
      return true;
    }
    if (!result.isAccepted()) {
      metrics.publishBackpressured();
      if (!retryScheduled) {
        retryScheduled = true;
        result.retryWhen().whenComplete((ignored, failure) -> retryWaiting());
      }
      return false;
    }
    long bytes = publish.frameBytes();
    inflightBytes += bytes;
    metrics.inflightPublishBytes(bytes);
    boolean wantsAck = publish.target().ackMode() == AckMode.LEADER;
    result
        .ack()
        .whenComplete(
            (ack, failure) -> acknowledged(publish.requestId(), bytes, wantsAck, ack, failure));
    return true;
  }

  private void acknowledged(
      int requestId, long bytes, boolean wantsAck, PublishAck ack, Throwable failure) {
    synchronized (this) {
      if (closed) {
        return;
      }
      inflightBytes -= bytes;
      metrics.inflightPublishBytes(-bytes);
      updateReading();
    }
    if (failure != null) {
      replies.error(control, requestId, failure);
    } else if (wantsAck && ack != null) {
      replies.send(control, requestId, ack);
    }
  }

  private synchronized void retryWaiting() {
    retryScheduled = false;
    while (!closed && !waiting.isEmpty()) {
      Pending next = waiting.peekFirst();
      if (!attempt(next)) {
        break;
      }
      waiting.pollFirst();
      waitingBytes -= next.frameBytes();
    }
    updateReading();
  }

  private void updateReading() {
    boolean shouldPause = !waiting.isEmpty() || inflightBytes > maxInflightBytes;
    if (shouldPause && !paused) {
      paused = true;
      control.pauseReading();
    } else if (!shouldPause && paused) {
      paused = false;
      control.resumeReading();
    }
  }
}
