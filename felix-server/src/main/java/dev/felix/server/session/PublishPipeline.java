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
import java.util.concurrent.CompletionStage;

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
 * <p>A held-back publish is queued <em>before</em> its retry signal is watched: the signal may
 * complete at any moment (on a broker thread, or at once when it is already done), and its retry
 * must find the publish waiting, else nothing would ever retry it and the paused control stream
 * would wedge the connection.
 *
 * <p>Threading: guarded by {@code this}; called from the event loop (frames) and broker threads
 * (ack completion, retry signals).
 */
final class PublishPipeline {
  /** Where publishes go: {@link Broker#publish(PublishTarget, RecordBatch)} outside of tests. */
  @FunctionalInterface
  interface Appender {
    PublishResult publish(PublishTarget target, RecordBatch records);
  }

  private record Pending(
      int requestId, PublishTarget target, RecordBatch records, int frameBytes) {}

  private final Appender broker;
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
      Appender broker,
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
    } else {
      CompletionStage<Void> blocked = attempt(publish);
      if (blocked != null && enqueue(publish)) {
        retryWhen(blocked);
      }
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

  /** Queues a held-back publish; false (and refused with BACKPRESSURE) past the bound. */
  private boolean enqueue(Pending publish) {
    if (waitingBytes + publish.frameBytes() > 2 * maxInflightBytes) {
      replies.error(
          control,
          publish.requestId(),
          new LimitException(
              ErrorCode.BACKPRESSURE,
              "too many publishes waiting on a blocked stream; retry later"));
      return false;
    }
    waiting.addLast(publish);
    waitingBytes += publish.frameBytes();
    return true;
  }

  /**
   * Retries the waiting publishes when {@code signal} completes. Called with the publish already
   * queued (see the class comment); an already completed signal retries at once, on this thread.
   */
  private void retryWhen(CompletionStage<Void> signal) {
    if (!retryScheduled) {
      retryScheduled = true;
      signal.whenComplete((ignored, failure) -> retryWaiting());
    }
  }

  /**
   * Appends one publish (or answers its error): null when done, else the stage to retry it after
   * (the stream is blocked; nothing was appended).
   */
  private CompletionStage<Void> attempt(Pending publish) {
    PublishResult result;
    try {
      result = broker.publish(publish.target(), publish.records());
    } catch (RuntimeException e) {
      replies.error(control, publish.requestId(), e);
      return null;
    }
    if (!result.isAccepted()) {
      metrics.publishBackpressured();
      return result.retryWhen();
    }
    long bytes = publish.frameBytes();
    inflightBytes += bytes;
    metrics.inflightPublishBytes(bytes);
    boolean wantsAck = publish.target().ackMode() == AckMode.LEADER;
    result
        .ack()
        .whenComplete(
            (ack, failure) -> acknowledged(publish.requestId(), bytes, wantsAck, ack, failure));
    return null;
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
      CompletionStage<Void> blocked = attempt(next);
      if (blocked != null) {
        retryWhen(blocked); // may run this method again at once: next is still at the head
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
