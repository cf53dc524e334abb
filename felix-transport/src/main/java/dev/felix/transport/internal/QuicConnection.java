package dev.felix.transport.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.UnavailableException;
import dev.felix.transport.CloseReason;
import dev.felix.transport.ConnectionListener;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.transport.StreamRole;
import dev.felix.transport.TransportConfig;
import dev.felix.transport.TransportConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TransportConnection} over one Netty {@link QuicChannel}, on either side.
 *
 * <p><b>Threads.</b> Public methods are thread-safe and hand their work to the channel's event
 * loop. The listener, the stream openers, the close bookkeeping and graceful-close state are owned
 * by that loop; {@code streams} is a concurrent set only so that other threads can count it.
 */
// Netty channel operations (close, shutdown, write) report failure through channel events, which
// this class handles; CompletableFuture.whenComplete is used for its side effect. The futures they
// return are deliberately not kept.
@SuppressWarnings("FutureReturnValueIgnored")
final class QuicConnection implements TransportConnection {
  /** Where the connection object hangs on its {@link QuicChannel}. */
  static final AttributeKey<QuicConnection> KEY = AttributeKey.valueOf("felix.connection");

  private static final Logger LOG = LoggerFactory.getLogger(QuicConnection.class);
  private static final int MAX_REASON_BYTES = 256;
  private static final ConnectionListener NO_LISTENER = stream -> (s, frame) -> {};

  private final QuicChannel channel;
  private final boolean serverSide;
  private final TransportConfig config;
  private final String id;
  private final StreamOpener bidiOpener;
  private final StreamOpener uniOpener;
  private final Set<QuicFrameStream> streams = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<CloseReason> closeFuture = new CompletableFuture<>();
  private volatile ConnectionListener listener = NO_LISTENER;
  private volatile QuicFrameStream control;
  private volatile InetSocketAddress remoteAddress;
  private volatile boolean closeRequested;
  private volatile boolean draining;

  // Event loop only.
  private CloseReason localClose;
  private QuicConnectionCloseEvent peerClose;
  private CloseReason finalReason;
  private GracefulClose graceful;

  QuicConnection(QuicChannel channel, boolean serverSide, TransportConfig config) {
    this.channel = channel;
    this.serverSide = serverSide;
    this.config = config;
    this.id = (serverSide ? "s-" : "c-") + channel.id().asShortText();
    this.bidiOpener = new StreamOpener(this, channel, QuicStreamType.BIDIRECTIONAL, config);
    this.uniOpener = new StreamOpener(this, channel, QuicStreamType.UNIDIRECTIONAL, config);
  }

  /** The connection object of a channel set up by this transport. */
  static QuicConnection of(QuicChannel channel) {
    return channel.attr(KEY).get();
  }

  // ---- TransportConnection ----

  @Override
  public String id() {
    return id;
  }

  @Override
  public boolean isServerSide() {
    return serverSide;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public List<X509Certificate> peerCertificates() {
    SSLEngine engine = channel.sslEngine();
    if (engine == null) {
      return List.of();
    }
    Certificate[] chain;
    try {
      chain = engine.getSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of(); // the peer presented no certificate
    }
    List<X509Certificate> certificates = new ArrayList<>(chain.length);
    for (Certificate certificate : chain) {
      if (certificate instanceof X509Certificate x509) {
        certificates.add(x509);
      }
    }
    return List.copyOf(certificates);
  }

  @Override
  public boolean isOpen() {
    return !closeRequested && channel.isActive();
  }

  @Override
  public Optional<FrameStream> controlStream() {
    return Optional.ofNullable(control);
  }

  @Override
  public CompletableFuture<FrameStream> openRequestStream(StreamListener streamListener) {
    if (serverSide) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("request streams are opened by the client"));
    }
    return bidiOpener.open(StreamRole.REQUEST, s -> streamListener);
  }

  @Override
  public CompletableFuture<FrameStream> openSubscriptionStream(StreamListener streamListener) {
    if (!serverSide) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("subscription streams are opened by the server"));
    }
    return uniOpener.open(StreamRole.SUBSCRIPTION, s -> streamListener);
  }

  @Override
  public int openStreamCount() {
    return streams.size();
  }

  @Override
  public int pendingStreamOpens() {
    return bidiOpener.pendingCount() + uniOpener.pendingCount();
  }

  @Override
  public void close(int errorCode, String reason) {
    closeRequested = true;
    onLoop(() -> closeNow(errorCode, reason), () -> {});
  }

  @Override
  public CompletableFuture<Boolean> closeGracefully(Duration bound) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    onLoop(() -> startGracefulClose(bound, result), () -> result.complete(false));
    return result;
  }

  @Override
  public CompletableFuture<CloseReason> closeFuture() {
    return closeFuture;
  }

  @Override
  public String toString() {
    return "connection " + id + " with " + remoteAddress;
  }

  // ---- package side, event loop unless noted ----

  /** Sets the listener once the connection is accepted or connected. */
  void activate(ConnectionListener connectionListener) {
    SocketAddress remote = channel.remoteSocketAddress();
    if (remote instanceof InetSocketAddress inet) {
      remoteAddress = inet;
    }
    listener = connectionListener == null ? NO_LISTENER : connectionListener;
  }

  /** Client: opens the control stream (stream id 0) right after the handshake. */
  CompletableFuture<FrameStream> openControlStream() {
    return bidiOpener.open(StreamRole.CONTROL, s -> listener.onStreamOpened(s));
  }

  /** Creates the stream object for a new stream channel and tracks it. */
  QuicFrameStream register(QuicStreamChannel ch, StreamRole role) {
    QuicFrameStream stream = new QuicFrameStream(this, ch, role, config);
    streams.add(stream);
    if (role == StreamRole.CONTROL) {
      control = stream;
    }
    return stream;
  }

  void unregister(QuicFrameStream stream) {
    if (streams.remove(stream) && graceful != null) {
      graceful.onStreamClosed();
    }
  }

  /** A stream the peer opened: check it against the stream layout, then hand it out. */
  void onPeerStream(QuicStreamChannel ch) {
    StreamRole role = peerStreamRole(ch);
    if (role == null) {
      LOG.debug("{}: refusing peer stream {} outside the stream layout", this, ch.streamId());
      refuse(ch, ErrorCode.UNEXPECTED_MESSAGE);
      return;
    }
    if (!acceptsNewStreams()) {
      refuse(ch, ErrorCode.UNAVAILABLE);
      return;
    }
    QuicFrameStream stream = register(ch, role);
    StreamListener streamListener;
    try {
      streamListener = listener.onStreamOpened(stream);
    } catch (RuntimeException e) {
      LOG.warn("{}: listener onStreamOpened failed; resetting {}", this, stream, e);
      stream.start(null, config);
      int code = ErrorCode.INTERNAL.code();
      stream.resetNow(code, new CloseReason(CloseReason.Origin.LOCAL, code, "listener failed"));
      return;
    }
    stream.start(streamListener, config);
  }

  void onStreamLimitChanged() {
    bidiOpener.onStreamLimitChanged();
    uniOpener.onStreamLimitChanged();
  }

  /**
   * The peer sent CONNECTION_CLOSE. The channel is closed right away instead of after quiche's
   * draining period (three probe timeouts, seconds on a fresh connection): nothing may be sent in
   * that period anyway, and the application learns of the close at once. A connect refused during
   * the handshake (TLS alert) fails promptly for the same reason.
   */
  void onPeerClose(QuicConnectionCloseEvent event) {
    peerClose = event;
    channel.close();
  }

  void onChannelInactive() {
    CloseReason reason = closeReasonNow();
    UnavailableException closed = closedException();
    bidiOpener.failAll(closed);
    uniOpener.failAll(closed);
    if (graceful != null) {
      graceful.onConnectionClosed(reason);
    }
    try {
      listener.onClosed(this, reason);
    } catch (RuntimeException e) {
      LOG.warn("{}: listener onClosed failed", this, e);
    }
    closeFuture.complete(reason);
  }

  /** The close reason; call once the channel is closed or closing. */
  CloseReason closeReasonNow() {
    if (finalReason == null) {
      finalReason = computeCloseReason();
    }
    return finalReason;
  }

  boolean acceptsNewStreams() {
    return !draining && isOpen();
  }

  UnavailableException closedException() {
    return new UnavailableException(
        ErrorCode.UNAVAILABLE,
        draining ? "connection " + id + " is closing" : "connection " + id + " is closed");
  }

  FelixException streamOpenFailed(Throwable cause) {
    if (!isOpen()) {
      return closedException();
    }
    return new LimitException(
        ErrorCode.LIMIT_EXCEEDED, "cannot open a stream on " + id + ": " + cause, cause);
  }

  Set<QuicFrameStream> streams() {
    return streams;
  }

  QuicChannel channel() {
    return channel;
  }

  @Override
  public boolean execute(Runnable task) {
    try {
      channel.eventLoop().execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /**
   * Runs {@code task} on the event loop (now, when already there); {@code ifGone} if it is shut.
   */
  void onLoop(Runnable task, Runnable ifGone) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
      return;
    }
    try {
      channel.eventLoop().execute(task);
    } catch (RejectedExecutionException e) {
      ifGone.run();
    }
  }

  void closeNow(int errorCode, String reason) {
    closeRequested = true;
    if (localClose != null || !channel.isActive()) {
      return;
    }
    localClose = new CloseReason(CloseReason.Origin.LOCAL, errorCode, reason);
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    ByteBuf reasonBytes =
        Unpooled.wrappedBuffer(bytes, 0, Math.min(bytes.length, MAX_REASON_BYTES));
    channel.close(true, errorCode, reasonBytes);
  }

  private void startGracefulClose(Duration bound, CompletableFuture<Boolean> result) {
    if (!channel.isActive()) {
      closeFuture.whenComplete((reason, error) -> result.complete(true));
      return;
    }
    if (graceful == null) {
      draining = true;
      UnavailableException closing = closedException();
      bidiOpener.failAll(closing);
      uniOpener.failAll(closing);
      graceful = new GracefulClose(this, bound);
    }
    graceful.result().whenComplete((drained, error) -> result.complete(drained));
  }

  private CloseReason computeCloseReason() {
    if (localClose != null) {
      return localClose;
    }
    if (peerClose != null) {
      String message = reasonOf(peerClose);
      if (peerClose.isApplicationClose()) {
        return new CloseReason(CloseReason.Origin.PEER, peerClose.error(), message);
      }
      String detail =
          peerClose.isTlsError()
              ? "TLS alert " + QuicConnectionCloseEvent.extractTlsError(peerClose.error())
              : "QUIC transport error 0x" + Integer.toHexString(peerClose.error());
      return new CloseReason(
          CloseReason.Origin.TRANSPORT,
          peerClose.error(),
          message.isEmpty() ? "peer closed: " + detail : "peer closed: " + detail + ": " + message);
    }
    if (channel.isTimedOut()) {
      return new CloseReason(
          CloseReason.Origin.IDLE_TIMEOUT,
          CloseReason.UNKNOWN_CODE,
          "no packet within the idle timeout of " + config.maxIdleTimeoutMs() + " ms");
    }
    return new CloseReason(
        CloseReason.Origin.TRANSPORT, CloseReason.UNKNOWN_CODE, "connection lost");
  }

  private static String reasonOf(QuicConnectionCloseEvent event) {
    try {
      return new String(event.reason(), StandardCharsets.UTF_8);
    } catch (NullPointerException e) {
      // Netty 4.2.18's reason() throws when the peer's CONNECTION_CLOSE carried no reason.
      return "";
    }
  }

  private StreamRole peerStreamRole(QuicStreamChannel ch) {
    boolean bidirectional = ch.type() == QuicStreamType.BIDIRECTIONAL;
    if (serverSide) {
      // The client opens its control stream first, so it is client-initiated bidi stream 0.
      return bidirectional ? (ch.streamId() == 0 ? StreamRole.CONTROL : StreamRole.REQUEST) : null;
    }
    return bidirectional ? null : StreamRole.SUBSCRIPTION;
  }

  private static void refuse(QuicStreamChannel ch, ErrorCode code) {
    if (ch.type() == QuicStreamType.BIDIRECTIONAL) {
      ch.shutdown(code.code());
    } else {
      ch.shutdownInput(code.code());
    }
    ch.close();
  }
}
