package dev.felix.transport;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One QUIC connection with TLS 1.3 and ALPN {@code felix/1}, in the Felix stream layout: one {@link
 * StreamRole#CONTROL} stream, server-opened {@link StreamRole#SUBSCRIPTION} streams and
 * client-opened {@link StreamRole#REQUEST} streams.
 *
 * <p><b>Stream limits are back-pressure.</b> Opening more streams than the peer currently allows
 * does not fail: the open waits (in order) until the peer grants stream credit, which QUIC does as
 * earlier streams complete. Only when {@link TransportConfig#maxPendingStreamOpens()} opens already
 * wait, or one waited {@link TransportConfig#streamOpenTimeoutMs()}, does the future fail with
 * {@link dev.felix.error.LimitException} ({@code BACKPRESSURE}). (quiche fails a stream creation
 * over the limit at once, QUIC-NOTES trap 2, so the transport never calls it without credit.)
 *
 * <p><b>Threading:</b> all methods are thread-safe. The connection belongs to one event loop; its
 * listeners run there, and futures returned here complete there, so dependent actions added with
 * the non-async {@code CompletableFuture} methods run on the event loop too and must not block.
 */
public interface TransportConnection {

  /** Short id for logs. */
  String id();

  /** True on the server's side of the connection. */
  boolean isServerSide();

  /** The peer's UDP address. */
  InetSocketAddress remoteAddress();

  /**
   * The certificate chain the peer presented in the TLS handshake, its own certificate first, after
   * it was verified against the configured CA; empty when the peer presented none (the server did
   * not ask, or asked and the client had none) or before the handshake finished.
   */
  default List<X509Certificate> peerCertificates() {
    return List.of();
  }

  /** True until the connection is closed or closing. */
  boolean isOpen();

  /**
   * Runs {@code task} on the connection's event loop, later (never inline). Returns false when the
   * loop no longer takes tasks (the connection is gone). The task must not block: it holds up every
   * connection on that loop.
   */
  boolean execute(Runnable task);

  /**
   * The control stream: on the client it is opened before {@code connect} completes; on the server
   * it is empty until the client's first frame on it (Hello) has arrived, since QUIC announces a
   * stream to the peer only with its first bytes.
   */
  Optional<FrameStream> controlStream();

  /**
   * Client only: opens a {@link StreamRole#REQUEST} stream. Completes when the stream exists; fails
   * with {@link dev.felix.error.LimitException} when stream credit does not come in time, with
   * {@link dev.felix.error.UnavailableException} when the connection is closing.
   */
  CompletableFuture<FrameStream> openRequestStream(StreamListener listener);

  /**
   * Server only: opens a unidirectional {@link StreamRole#SUBSCRIPTION} stream. Failure as {@link
   * #openRequestStream}. The listener receives writability changes and the close; it gets no
   * frames.
   */
  CompletableFuture<FrameStream> openSubscriptionStream(StreamListener listener);

  /** Streams currently open. */
  int openStreamCount();

  /** Stream opens waiting for stream credit from the peer. */
  int pendingStreamOpens();

  /**
   * Closes the connection at once with an application error code ({@link CloseReason#NO_ERROR} or a
   * Felix {@link dev.felix.error.ErrorCode} number) and a reason the peer sees. Queued frames are
   * dropped. Idempotent.
   */
  void close(int errorCode, String reason);

  /**
   * Closes the connection gracefully within {@code bound}: stops accepting and opening streams
   * (peer-opened streams are refused with {@code UNAVAILABLE}, waiting opens fail), lets every
   * queued frame reach QUIC and finishes every stream output, waits until all streams are closed or
   * the peer closes the connection, allows about one round trip for the last acknowledgements, then
   * closes with {@link CloseReason#NO_ERROR}.
   *
   * @return completes on the event loop once closed: true when everything drained before the bound,
   *     false when the bound cut it short
   */
  CompletableFuture<Boolean> closeGracefully(Duration bound);

  /** Completes (on the event loop) with the reason once the connection is closed. */
  CompletableFuture<CloseReason> closeFuture();
}
