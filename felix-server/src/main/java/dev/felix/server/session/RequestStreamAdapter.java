package dev.felix.server.session;

import dev.felix.broker.CacheWatch;
import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.error.UnavailableException;
import dev.felix.server.security.Action;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.wire.Capabilities;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.Message;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Request streams carry request/response calls (the cache calls in v1). Each frame is one call,
 * answered on the same stream with its request id, in arrival order; a client pipelines many calls
 * on one stream and spreads them over several. A call that fails gets its own typed Error and the
 * stream goes on.
 *
 * <p>Writes to a durable cache are answered once durable, from the storage or fsync thread, so
 * their answers may overtake or follow later calls' answers on the same stream (requesters match by
 * request id, protocol.md section 1).
 *
 * <p>Bounded: while the stream's send queue is above its mark (a client that does not read its
 * answers), or more than {@link #MAX_WAITING_ANSWERS} durable writes wait for the disk, the stream
 * is not read, so QUIC flow control holds the client back.
 *
 * <p>Threading: called on the connection's event loop; cache calls never block there. {@link
 * #answered} runs on whichever thread completed a durable write.
 */
final class RequestStreamAdapter implements StreamListener {
  /** Durable writes one stream may have waiting for the disk before it is no longer read. */
  static final int MAX_WAITING_ANSWERS = 1024;

  private final AtomicInteger waiting = new AtomicInteger();

  /** Set when this stream carries a cache watch (its first frame was CacheWatch). */
  private volatile CacheWatch watch;

  private volatile CacheWatchProxy watchProxy;
  private final ClientSession session;
  private final CacheCalls calls;
  private final Replies replies;
  private final CacheMetrics metrics;
  private final FrameCodec codec;

  RequestStreamAdapter(
      ClientSession session,
      CacheCalls calls,
      Replies replies,
      CacheMetrics metrics,
      WireLimits limits) {
    this.session = session;
    this.calls = calls;
    this.replies = replies;
    this.metrics = metrics;
    this.codec = new FrameCodec(limits);
  }

  @Override
  public void onFrame(FrameStream stream, ByteBuffer frame) {
    long started = System.nanoTime();
    int requestId = FrameHeader.requestId(frame, 0);
    try {
      if (!session.helloDone()) {
        throw new ProtocolException(
            ErrorCode.UNEXPECTED_MESSAGE, "calls on request streams must follow Hello");
      }
      if (watchProxy != null) {
        throw new ProtocolException(
            ErrorCode.UNEXPECTED_MESSAGE, "a watch's stream carries nothing after CacheWatch");
      }
      Message request = codec.decode(frame).message();
      if (request instanceof dev.felix.wire.message.CacheWatch open) {
        try {
          startWatch(stream, requestId, open);
        } catch (RuntimeException e) {
          // A watch that never started: its Error, then the end of its stream.
          replies.error(stream, requestId, e);
          stream.finish();
        }
        return;
      }
      CompletionStage<? extends Message> answer =
          calls.answer(request, session.grantedCapabilities(), session.access());
      CompletableFuture<? extends Message> future = answer.toCompletableFuture();
      if (future.isDone() && !future.isCompletedExceptionally()) {
        replies.send(stream, requestId, future.join());
        metrics.observe(CacheCalls.operation(request), System.nanoTime() - started);
      } else {
        waiting.incrementAndGet();
        String operation = CacheCalls.operation(request);
        answer.whenComplete(
            (message, failure) ->
                answered(stream, requestId, operation, started, message, failure));
      }
    } catch (RuntimeException e) {
      CacheWatch current = watch;
      if (current != null) {
        current.end(Replies.typed(e));
        return;
      }
      replies.error(stream, requestId, e);
    }
    if (!stream.isWritable() || waiting.get() > MAX_WAITING_ANSWERS) {
      // The client is not reading its answers: stop reading its calls until it does, so that
      // QUIC flow control holds it back instead of answers piling up here without bound.
      stream.pauseReading();
    }
  }

  /**
   * Turns this stream into the watch's stream: checks the capability, {@code cache.read} and the
   * connection's watch limit, then sends the snapshot (on this event loop) and later changes.
   */
  private void startWatch(
      FrameStream stream, int requestId, dev.felix.wire.message.CacheWatch open) {
    if (!Capabilities.has(session.grantedCapabilities(), Capabilities.CACHE_WATCH)) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE, "cache watches need the CACHE_WATCH capability in Hello");
    }
    session.access().check(Action.CACHE_READ, open.cache());
    SessionWatches watches = session.watches();
    watches.reserve();
    CacheWatch[] started = new CacheWatch[1];
    CacheWatchProxy proxy =
        new CacheWatchProxy(stream, requestId, replies, metrics, () -> watches.release(started[0]));
    watchProxy = proxy;
    try {
      started[0] = session.caches().watch(open.cache(), open.prefix(), proxy);
    } catch (RuntimeException e) {
      watchProxy = null;
      watches.release(null);
      throw e;
    }
    watch = started[0];
    if (!watches.attach(started[0])) {
      started[0].end(new UnavailableException(ErrorCode.UNAVAILABLE, "the connection closed"));
    }
  }

  private void answered(
      FrameStream stream,
      int requestId,
      String operation,
      long started,
      Message message,
      Throwable failure) {
    if (failure == null) {
      replies.send(stream, requestId, message);
      metrics.observe(operation, System.nanoTime() - started);
    } else {
      replies.error(stream, requestId, failure);
    }
    if (waiting.decrementAndGet() <= MAX_WAITING_ANSWERS / 2 && stream.isWritable()) {
      stream.resumeReading();
    }
  }

  @Override
  public void onWritabilityChanged(FrameStream stream, boolean writable) {
    CacheWatch current = watch;
    if (current != null) {
      if (writable) {
        current.writable();
      }
      return;
    }
    if (writable && waiting.get() <= MAX_WAITING_ANSWERS) {
      stream.resumeReading();
    }
  }

  /**
   * A bad header on a request stream ends that stream only. The Error written here is sent before
   * the transport finishes the stream (protocol.md section 1.6), and counted like every other.
   */
  @Override
  public void onProtocolError(FrameStream stream, ProtocolException error) {
    replies.error(stream, 0, error);
  }

  @Override
  public void onInputFinished(FrameStream stream) {
    CacheWatch current = watch;
    if (current != null) {
      // The client cancelled its watch: end it without an Error, then finish our side.
      watchProxy.cancelled();
      current.end(new UnavailableException(ErrorCode.UNAVAILABLE, "cancelled by the client"));
      return;
    }
    stream.finish();
  }
}
