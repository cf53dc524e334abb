package dev.felix.transport.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.transport.CloseReason;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.transport.StreamRole;
import dev.felix.transport.TransportConfig;
import dev.felix.transport.TransportConnection;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FrameStream} over one Netty QUIC stream channel.
 *
 * <p><b>Threads.</b> The public methods are thread-safe: writes go through the {@link
 * OutboundQueue}, everything else is handed to the event loop. The listener, the close reason and
 * the notification flags are owned by the connection's event loop.
 */
// Netty channel operations (close, shutdown, write) report failure through channel events, which
// this class handles; CompletableFuture.whenComplete is used for its side effect. The futures they
// return are deliberately not kept.
@SuppressWarnings("FutureReturnValueIgnored")
final class QuicFrameStream implements FrameStream, OutboundQueue.Owner, FrameAccumulator.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(QuicFrameStream.class);

  private static final StreamListener NO_LISTENER = (stream, frame) -> {};

  private final QuicConnection connection;
  private final QuicStreamChannel channel;
  private final StreamRole role;
  private final OutboundQueue outbound;
  private final boolean bidirectional;
  private final boolean local;

  // Event loop only.
  private StreamListener listener = NO_LISTENER;
  private CloseReason closeReason;
  private boolean closedNotified;

  QuicFrameStream(
      QuicConnection connection,
      QuicStreamChannel channel,
      StreamRole role,
      TransportConfig config) {
    this.connection = connection;
    this.channel = channel;
    this.role = role;
    this.bidirectional = channel.type() == QuicStreamType.BIDIRECTIONAL;
    this.local = channel.isLocalCreated();
    this.outbound =
        bidirectional || local
            ? new OutboundQueue(
                channel,
                this,
                config.writeCoalesceBytes(),
                config.sendQueueHighWaterMarkBytes(),
                config.sendQueueLowWaterMarkBytes())
            : null;
    // Netty's QUIC streams allow half-closure by default, which a request stream needs: after the
    // client finished sending, the answer still goes back.
  }

  /** Installs the listener and the frame handler; reading starts after this. Event loop. */
  void start(StreamListener streamListener, TransportConfig config) {
    this.listener = streamListener == null ? NO_LISTENER : streamListener;
    channel.pipeline().addLast(new FrameInboundHandler(this, config.wireLimits()));
  }

  @Override
  public long id() {
    return channel.streamId();
  }

  @Override
  public StreamRole role() {
    return role;
  }

  @Override
  public TransportConnection connection() {
    return connection;
  }

  @Override
  public boolean canWrite() {
    return outbound != null;
  }

  @Override
  public boolean write(ByteBuffer frame) {
    return outbound != null && outbound.enqueue(frame.slice(), frame.remaining());
  }

  @Override
  public boolean write(ByteBuffer first, ByteBuffer second) {
    return outbound != null
        && outbound.enqueue(
            new ByteBuffer[] {first.slice(), second.slice()},
            (long) first.remaining() + second.remaining());
  }

  @Override
  public boolean write(ByteBuffer... parts) {
    if (outbound == null) {
      return false;
    }
    ByteBuffer[] views = new ByteBuffer[parts.length];
    long bytes = 0;
    for (int i = 0; i < parts.length; i++) {
      views[i] = parts[i].slice();
      bytes += views[i].remaining();
    }
    return outbound.enqueue(views, bytes);
  }

  @Override
  public boolean isWritable() {
    return outbound != null && outbound.isWritable();
  }

  @Override
  public long queuedBytes() {
    return outbound == null ? 0 : outbound.queuedBytes();
  }

  @Override
  public void finish() {
    if (outbound != null) {
      outbound.finish();
    }
  }

  @Override
  public void reset(int errorCode) {
    onLoop(
        () -> resetNow(errorCode, new CloseReason(CloseReason.Origin.LOCAL, errorCode, "reset")));
  }

  @Override
  public void pauseReading() {
    channel.config().setAutoRead(false);
  }

  @Override
  public void resumeReading() {
    channel.config().setAutoRead(true);
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public String toString() {
    return "stream " + id() + " (" + role + ") of " + connection.id();
  }

  // ---- event loop side ----

  /** Delivers one frame; false when the stream closed meanwhile. */
  @Override
  public boolean onFrame(ByteBuffer frame) {
    if (closeReason != null) {
      return false;
    }
    try {
      listener.onFrame(this, frame);
    } catch (RuntimeException e) {
      listenerFailed("onFrame", e);
      return false;
    }
    return closeReason == null;
  }

  void onInputFinished() {
    try {
      listener.onInputFinished(this);
    } catch (RuntimeException e) {
      listenerFailed("onInputFinished", e);
      return;
    }
    if (outbound == null) {
      // A peer-opened unidirectional stream is done once its FIN arrived; with half-closure on,
      // Netty would wait for a FIN of ours that such a stream never sends.
      channel.close();
    }
  }

  /**
   * The peer broke the framing rules: tell the listener, then close the stream with the error's
   * code. Reading stops at once (STOP_SENDING with the code). When output is queued, typically the
   * Error frame the listener wrote in {@code onProtocolError} (protocol.md 1.6 asks for one), the
   * output is finished after it (FIN) so that the peer reads it; otherwise the output is reset with
   * the code too.
   */
  void onProtocolError(ProtocolException error) {
    try {
      listener.onProtocolError(this, error);
    } catch (RuntimeException e) {
      LOG.warn("{}: listener onProtocolError failed", this, e);
    }
    int code = error.code().code();
    CloseReason reason = new CloseReason(CloseReason.Origin.LOCAL, code, error.getMessage());
    if (outbound != null && outbound.hasQueuedFrames() && channel.isActive()) {
      if (closeReason == null) {
        closeReason = reason;
      }
      channel.shutdownInput(code);
      outbound.finishAndClose();
    } else {
      resetNow(code, reason);
    }
  }

  void onPeerReset(long code) {
    if (closeReason == null) {
      closeReason = new CloseReason(CloseReason.Origin.PEER, code, "stream reset by peer");
    }
    closeOutbound();
    channel.close();
  }

  void onStreamFailure(Throwable cause) {
    if (closeReason == null) {
      closeReason =
          new CloseReason(CloseReason.Origin.TRANSPORT, CloseReason.UNKNOWN_CODE, describe(cause));
    }
    closeOutbound();
    channel.close();
  }

  /**
   * The stream's read burst is over: writes queued while its frames were handled (a publish's
   * acknowledgement, a cache answer) go to quiche now, before the connection sends the QUIC ACK for
   * what was read, so both leave in one packet. Event loop only.
   */
  void onReadComplete() {
    if (outbound != null && outbound.hasQueuedFrames()) {
      outbound.drain();
    }
  }

  /** Quiche stream capacity changed (QUIC-NOTES trap 7): resume draining. */
  void onChannelWritabilityChanged() {
    if (outbound != null && channel.isWritable()) {
      outbound.drain();
    }
  }

  @Override
  public void onWritabilityChanged(boolean writable) {
    try {
      listener.onWritabilityChanged(this, writable);
    } catch (RuntimeException e) {
      listenerFailed("onWritabilityChanged", e);
    }
  }

  @Override
  public void onWriteFailed(Throwable cause) {
    if (!channel.isActive()) {
      return;
    }
    if (closeReason == null) {
      // STOP_SENDING: quiche resets our side itself; the peer gave up reading (its code is not
      // visible through Netty, hence UNKNOWN_CODE).
      closeReason =
          new CloseReason(CloseReason.Origin.PEER, CloseReason.UNKNOWN_CODE, describe(cause));
    }
    closeOutbound();
    channel.close();
  }

  void onChannelInactive() {
    closeOutbound();
    connection.unregister(this);
    if (closedNotified) {
      return;
    }
    closedNotified = true;
    CloseReason reason = closeReason;
    if (reason == null) {
      reason =
          connection.isOpen()
              ? new CloseReason(CloseReason.Origin.LOCAL, CloseReason.NO_ERROR, "finished")
              : connection.closeReasonNow();
    }
    try {
      listener.onClosed(this, reason);
    } catch (RuntimeException e) {
      LOG.warn("{}: listener onClosed failed", this, e);
    }
  }

  /** Aborts both directions at once with {@code code}. Event loop. */
  void resetNow(int code, CloseReason reason) {
    if (!channel.isActive()) {
      return;
    }
    if (closeReason == null) {
      closeReason = reason;
    }
    closeOutbound();
    if (bidirectional) {
      channel.shutdown(code);
    } else if (local) {
      channel.shutdownOutput(code);
    } else {
      channel.shutdownInput(code);
    }
    channel.close();
  }

  private void closeOutbound() {
    if (outbound != null) {
      outbound.close();
    }
  }

  private void listenerFailed(String method, RuntimeException e) {
    LOG.warn("{}: listener {} threw; resetting the stream with INTERNAL", this, method, e);
    int code = ErrorCode.INTERNAL.code();
    resetNow(code, new CloseReason(CloseReason.Origin.LOCAL, code, "listener failed: " + e));
  }

  private void onLoop(Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
      return;
    }
    try {
      channel.eventLoop().execute(task);
    } catch (RejectedExecutionException e) {
      // The event loop is gone, and the stream with it.
    }
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
