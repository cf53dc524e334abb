package dev.felix.transport.internal;

import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.UnavailableException;
import dev.felix.transport.ClientTlsConfig;
import dev.felix.transport.CloseReason;
import dev.felix.transport.ConnectionListener;
import dev.felix.transport.TransportConfig;
import dev.felix.transport.TransportConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslEngine;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side. Each connection gets its own NIO UDP socket, registered round-robin on the
 * endpoint's event loops, so connections spread over threads (one connection is one event-loop
 * thread; QUIC-NOTES). A connect completes once the handshake is done, ALPN {@code felix/1} is
 * confirmed and the control stream is open.
 *
 * <p><b>Threads.</b> Public methods are thread-safe; each connection is owned by its event loop.
 */
// Netty channel operations (close, shutdown, write) report failure through channel events, which
// this class handles; CompletableFuture.whenComplete is used for its side effect. The futures they
// return are deliberately not kept.
@SuppressWarnings("FutureReturnValueIgnored")
public final class ClientEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(ClientEndpoint.class);

  private final TransportConfig config;
  private final ClientTlsConfig tls;
  private final String alpn;
  private final SslContexts.Client ssl;
  private final EventLoopGroup group;
  private final Set<QuicConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private ClientEndpoint(TransportConfig config, ClientTlsConfig tls, String alpn) {
    this.config = config;
    this.tls = tls;
    this.alpn = alpn;
    this.ssl = SslContexts.client(tls, alpn);
    this.group = EventLoops.nio(config.eventLoopThreads(), "felix-quic-client");
  }

  /**
   * A client endpoint. {@code alpn} is always {@code felix/1} outside tests of ALPN enforcement.
   *
   * @throws IllegalStateException when QUIC is unavailable
   * @throws IllegalArgumentException when a CA file is unusable
   */
  public static ClientEndpoint create(TransportConfig config, ClientTlsConfig tls, String alpn) {
    EventLoops.requireQuic();
    return new ClientEndpoint(config, tls, alpn);
  }

  /** The ALPN token every Felix endpoint requires. */
  public static String felixAlpn() {
    return SslContexts.ALPN;
  }

  /** Connects; see {@code TransportClient#connect}. */
  public CompletableFuture<TransportConnection> connect(
      String host, int port, ConnectionListener listener) {
    CompletableFuture<TransportConnection> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(
          new UnavailableException(ErrorCode.UNAVAILABLE, "the client is closed"));
      return result;
    }
    InetSocketAddress remote = new InetSocketAddress(host, port);
    if (remote.isUnresolved()) {
      result.completeExceptionally(
          new UnavailableException(ErrorCode.UNAVAILABLE, "cannot resolve host " + host));
      return result;
    }
    if (tls.insecure()) {
      LOG.warn(
          "TLS: certificate verification is DISABLED for {}:{} (insecure): anyone on the network"
              + " path can impersonate the server",
          host,
          port);
    }
    QuicSslEngine[] engine = new QuicSslEngine[1];
    ChannelHandler codec =
        QuicCodecs.client(config, remote.getAddress())
            .sslEngineProvider(q -> engine[0] = ssl.context().newEngine(q.alloc(), host, port))
            .build();
    QuicCodecs.datagramSocket(
            group, config, QuicCodecs.receivePayloadBytes(config, remote.getAddress()))
        .handler(codec)
        .bind(0)
        .addListener(
            (ChannelFuture bound) -> {
              if (!bound.isSuccess()) {
                result.completeExceptionally(
                    new UnavailableException(
                        ErrorCode.UNAVAILABLE,
                        "cannot open a UDP socket: " + bound.cause(),
                        bound.cause()));
                return;
              }
              startHandshake(bound.channel(), remote, host, engine, listener, result);
            });
    return result;
  }

  /** Closes every connection with NO_ERROR and stops the event loops. Idempotent. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (QuicConnection connection : connections) {
      connection.close((int) CloseReason.NO_ERROR, "client closed");
    }
    EventLoops.shutdown(group);
  }

  private void startHandshake(
      Channel udp,
      InetSocketAddress remote,
      String host,
      QuicSslEngine[] engine,
      ConnectionListener listener,
      CompletableFuture<TransportConnection> result) {
    String target = host + ":" + remote.getPort();
    ScheduledFuture<?> timeout =
        udp.eventLoop()
            .schedule(
                () -> {
                  if (result.completeExceptionally(
                      new UnavailableException(
                          ErrorCode.TIMEOUT,
                          "connect to "
                              + target
                              + " timed out after "
                              + config.connectTimeoutMs()
                              + " ms"))) {
                    udp.close();
                  }
                },
                config.connectTimeoutMs(),
                TimeUnit.MILLISECONDS);
    result.whenComplete((connection, error) -> timeout.cancel(false));
    QuicConnection[] created = new QuicConnection[1];
    QuicChannel.newBootstrap(udp)
        .handler(
            new ChannelInitializer<QuicChannel>() {
              @Override
              protected void initChannel(QuicChannel ch) {
                created[0] = new QuicConnection(ch, false, config);
                ch.attr(QuicConnection.KEY).set(created[0]);
                ch.pipeline().addLast(new ConnectionHandler(created[0], null));
                // One UDP socket per connection: it goes when the connection goes.
                ch.closeFuture().addListener(f -> udp.close());
              }
            })
        .streamHandler(PeerStreamInitializer.INSTANCE)
        .remoteAddress(remote)
        .connect()
        .addListener(
            (Future<QuicChannel> f) -> {
              if (!f.isSuccess()) {
                udp.close();
                CertificateException rejected =
                    ssl.trustManager() == null ? null : ssl.trustManager().takeFailure(engine[0]);
                result.completeExceptionally(
                    connectFailure(target, f.cause(), rejected, created[0]));
                return;
              }
              if (ssl.trustManager() != null) {
                ssl.trustManager().takeFailure(engine[0]);
              }
              onHandshakeDone(QuicConnection.of(f.getNow()), target, listener, result);
            });
  }

  private void onHandshakeDone(
      QuicConnection connection,
      String target,
      ConnectionListener listener,
      CompletableFuture<TransportConnection> result) {
    String negotiated = SslContexts.negotiatedAlpn(connection.channel());
    if (!alpn.equals(negotiated)) {
      connection.closeNow(ErrorCode.UNSUPPORTED_FEATURE.code(), "ALPN " + alpn + " required");
      result.completeExceptionally(
          new UnavailableException(
              ErrorCode.UNSUPPORTED_FEATURE,
              target + " did not agree on ALPN " + alpn + " (got " + negotiated + ")"));
      return;
    }
    connection.activate(listener);
    connections.add(connection);
    connection.closeFuture().whenComplete((reason, error) -> connections.remove(connection));
    connection
        .openControlStream()
        .whenComplete(
            (control, error) -> {
              if (error != null) {
                connection.closeNow(ErrorCode.INTERNAL.code(), "cannot open the control stream");
                result.completeExceptionally(error);
              } else if (!result.complete(connection)) {
                connection.closeNow((int) CloseReason.NO_ERROR, "connect abandoned");
              }
            });
  }

  private static FelixException connectFailure(
      String target, Throwable cause, CertificateException rejected, QuicConnection connection) {
    if (rejected != null) {
      return new AuthException(
          ErrorCode.UNAUTHENTICATED,
          "TLS handshake with "
              + target
              + " failed: the server certificate was rejected: "
              + rejected.getMessage()
              + " (trust its CA with a CA file, or check the host name)",
          cause);
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return new AuthException(
            ErrorCode.UNAUTHENTICATED,
            "TLS handshake with " + target + " failed: " + t.getMessage(),
            cause);
      }
    }
    CloseReason reason = connection == null ? null : connection.closeReasonNow();
    if (reason != null
        && reason.origin() == CloseReason.Origin.TRANSPORT
        && reason.code() >= 0x100
        && reason.code() < 0x200) {
      // The server refused the TLS handshake with a TLS alert.
      String hint =
          reason.code() == 0x100 + 120
              ? " (no_application_protocol: the server does not speak ALPN felix/1)"
              : "";
      return new AuthException(
          ErrorCode.UNAUTHENTICATED,
          "TLS handshake with " + target + " refused: " + reason.message() + hint,
          cause);
    }
    String detail = reason == null ? String.valueOf(cause) : reason.message();
    if (cause == null) {
      return new UnavailableException(
          ErrorCode.UNAVAILABLE, "cannot connect to " + target + ": " + detail);
    }
    return new UnavailableException(
        ErrorCode.UNAVAILABLE, "cannot connect to " + target + ": " + detail, cause);
  }
}
