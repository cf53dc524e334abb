package dev.felix.transport.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.transport.CloseReason;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.transport.StreamRole;
import dev.felix.transport.TransportConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens local streams of one direction type without ever exceeding the peer's stream limit.
 *
 * <p>quiche fails a stream creation over the peer's limit at once (QUIC-NOTES trap 2), and Netty
 * has already consumed the stream id by then. So a stream is created only while {@link
 * QuicChannel#peerAllowedStreams} is positive; other opens wait here in order and are retried when
 * Netty reports a stream-limit change (the peer sent MAX_STREAMS as earlier streams completed).
 * Waiting is bounded in count and time; beyond either, the open fails with {@link LimitException}
 * {@code BACKPRESSURE}.
 *
 * <p>Owned by the connection's event loop: every method but {@link #open} runs there.
 */
final class StreamOpener {
  private record Pending(
      StreamRole role,
      Function<FrameStream, StreamListener> listener,
      CompletableFuture<FrameStream> future,
      ScheduledFuture<?> timeout) {}

  private static final Logger LOG = LoggerFactory.getLogger(StreamOpener.class);

  private final QuicConnection connection;
  private final QuicChannel channel;
  private final QuicStreamType type;
  private final TransportConfig config;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private volatile int pendingCount;

  StreamOpener(
      QuicConnection connection, QuicChannel channel, QuicStreamType type, TransportConfig config) {
    this.connection = connection;
    this.channel = channel;
    this.type = type;
    this.config = config;
  }

  /** Any thread. The future completes on the event loop. */
  CompletableFuture<FrameStream> open(
      StreamRole role, Function<FrameStream, StreamListener> listener) {
    CompletableFuture<FrameStream> future = new CompletableFuture<>();
    connection.onLoop(
        () -> openNow(role, listener, future),
        () -> future.completeExceptionally(connection.closedException()));
    return future;
  }

  int pendingCount() {
    return pendingCount;
  }

  private void openNow(
      StreamRole role,
      Function<FrameStream, StreamListener> listener,
      CompletableFuture<FrameStream> future) {
    if (!connection.acceptsNewStreams()) {
      future.completeExceptionally(connection.closedException());
      return;
    }
    if (pending.isEmpty() && channel.peerAllowedStreams(type) > 0) {
      create(role, listener, future);
      return;
    }
    if (pending.size() >= config.maxPendingStreamOpens()) {
      future.completeExceptionally(
          new LimitException(
              ErrorCode.BACKPRESSURE,
              pending.size()
                  + " "
                  + describeType()
                  + " stream opens already wait for stream credit from the peer"));
      return;
    }
    Pending[] self = new Pending[1];
    ScheduledFuture<?> timeout =
        channel
            .eventLoop()
            .schedule(() -> expire(self[0]), config.streamOpenTimeoutMs(), TimeUnit.MILLISECONDS);
    self[0] = new Pending(role, listener, future, timeout);
    pending.add(self[0]);
    pendingCount = pending.size();
    // Netty refreshes its count of stream credit only after processing packets; right after the
    // handshake it may still read 0, so look again once the current work on this loop is done.
    channel.eventLoop().execute(this::onStreamLimitChanged);
  }

  /** The peer may have granted more streams: open waiting streams while credit lasts. */
  void onStreamLimitChanged() {
    while (!pending.isEmpty() && channel.peerAllowedStreams(type) > 0) {
      Pending next = pending.poll();
      next.timeout().cancel(false);
      if (!next.future().isDone()) {
        create(next.role(), next.listener(), next.future());
      }
    }
    pendingCount = pending.size();
  }

  /** Fails every waiting open (the connection is closing). */
  void failAll(FelixException cause) {
    for (Pending next = pending.poll(); next != null; next = pending.poll()) {
      next.timeout().cancel(false);
      next.future().completeExceptionally(cause);
    }
    pendingCount = 0;
  }

  private void expire(Pending waiting) {
    if (pending.remove(waiting)) {
      pendingCount = pending.size();
      waiting
          .future()
          .completeExceptionally(
              new LimitException(
                  ErrorCode.BACKPRESSURE,
                  "no "
                      + describeType()
                      + " stream credit from the peer within "
                      + config.streamOpenTimeoutMs()
                      + " ms"));
    }
  }

  private void create(
      StreamRole role,
      Function<FrameStream, StreamListener> listener,
      CompletableFuture<FrameStream> future) {
    QuicFrameStream[] created = new QuicFrameStream[1];
    ChannelInitializer<QuicStreamChannel> initializer =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(QuicStreamChannel ch) {
            QuicFrameStream stream = connection.register(ch, role);
            created[0] = stream;
            StreamListener streamListener;
            try {
              streamListener = listener.apply(stream);
            } catch (RuntimeException e) {
              LOG.warn("{}: listener onStreamOpened failed; resetting the stream", stream, e);
              stream.start(null, config);
              int code = ErrorCode.INTERNAL.code();
              stream.resetNow(
                  code, new CloseReason(CloseReason.Origin.LOCAL, code, "listener failed"));
              return;
            }
            stream.start(streamListener, config);
          }
        };
    channel
        .createStream(type, initializer)
        .addListener(
            (Future<QuicStreamChannel> f) -> {
              if (f.isSuccess() && created[0] != null) {
                if (!future.complete(created[0])) {
                  created[0].finish(); // cancelled meanwhile: close our side politely
                }
              } else {
                future.completeExceptionally(connection.streamOpenFailed(f.cause()));
              }
            });
  }

  private String describeType() {
    return type == QuicStreamType.BIDIRECTIONAL ? "bidirectional" : "unidirectional";
  }
}
