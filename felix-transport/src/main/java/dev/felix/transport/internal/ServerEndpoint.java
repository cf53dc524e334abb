package dev.felix.transport.internal;

import dev.felix.error.ErrorCode;
import dev.felix.transport.ConnectionAcceptor;
import dev.felix.transport.ConnectionListener;
import dev.felix.transport.ServerTlsConfig;
import dev.felix.transport.TransportConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side: one NIO UDP socket with Netty's QUIC server codec on one event loop. Every
 * connection of the socket lives on that loop (spreading connections over several sockets with
 * SO_REUSEPORT is a later step).
 *
 * <p>Retry tokens (QUIC-NOTES trap 5) are off (no token handler, i.e. Netty's {@code
 * NoQuicTokenHandler}): a Retry costs every connection one more round trip, and Netty's only
 * ready-made token handler signs nothing, so it would not stop address spoofing anyway. QUIC's
 * anti-amplification limit (3x before the address is validated) still applies.
 *
 * <p><b>Threads.</b> Public methods are thread-safe. {@code connections} is a concurrent set; each
 * connection is owned by the event loop.
 */
// Netty channel operations (close, shutdown, write) report failure through channel events, which
// this class handles; CompletableFuture.whenComplete is used for its side effect. The futures they
// return are deliberately not kept.
@SuppressWarnings("FutureReturnValueIgnored")
public final class ServerEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(ServerEndpoint.class);

  private final TransportConfig config;
  private final ConnectionAcceptor acceptor;
  private final Set<QuicConnection> connections = ConcurrentHashMap.newKeySet();
  private final EventLoopGroup group;
  private volatile Channel socket;
  private volatile boolean accepting = true;
  private volatile boolean closed;

  private ServerEndpoint(
      TransportConfig config, ConnectionAcceptor acceptor, EventLoopGroup group) {
    this.config = config;
    this.acceptor = acceptor;
    this.group = group;
  }

  /**
   * Binds the UDP socket and starts accepting connections.
   *
   * @throws IllegalStateException when QUIC is unavailable or the socket cannot be bound
   * @throws IllegalArgumentException when the TLS files are unusable
   */
  public static ServerEndpoint start(
      InetSocketAddress bindAddress,
      TransportConfig config,
      ServerTlsConfig tls,
      ConnectionAcceptor acceptor) {
    EventLoops.requireQuic();
    QuicSslContext sslContext = SslContexts.server(tls);
    EventLoopGroup group = EventLoops.nio(1, "felix-quic-server");
    ServerEndpoint endpoint = new ServerEndpoint(config, acceptor, group);
    try {
      ChannelHandler codec =
          QuicCodecs.server(config)
              .sslContext(sslContext)
              .tokenHandler(null)
              .handler(endpoint.new ConnectionInitializer())
              .streamHandler(PeerStreamInitializer.INSTANCE)
              .build();
      Channel socket =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .option(ChannelOption.SO_RCVBUF, config.socketReceiveBufferBytes())
              .option(ChannelOption.SO_SNDBUF, config.socketSendBufferBytes())
              .handler(codec)
              .bind(bindAddress)
              .syncUninterruptibly()
              .channel();
      endpoint.socket = socket;
      checkSocketBuffers((DatagramChannel) socket, config);
      LOG.info("QUIC listening on udp {} (ALPN {})", socket.localAddress(), SslContexts.ALPN);
      return endpoint;
    } catch (RuntimeException e) {
      EventLoops.shutdown(group);
      throw new IllegalStateException("cannot listen on udp " + bindAddress + ": " + e, e);
    }
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.localAddress();
  }

  public int connectionCount() {
    return connections.size();
  }

  /**
   * Stops accepting connections, closes every connection gracefully within {@code bound}, then
   * closes the socket and the event loop.
   */
  public CompletableFuture<Void> shutdownGracefully(Duration bound) {
    accepting = false;
    List<CompletableFuture<Boolean>> closing =
        connections.stream().map(c -> c.closeGracefully(bound)).toList();
    return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
        .completeOnTimeout(null, bound.toMillis() + 1000, TimeUnit.MILLISECONDS)
        // Not on the event loop: close() waits for that loop to terminate.
        .handleAsync(
            (ignored, error) -> {
              close();
              return null;
            },
            ForkJoinPool.commonPool());
  }

  /** Closes every connection with UNAVAILABLE, then the socket and the event loop. Idempotent. */
  public void close() {
    accepting = false;
    if (closed) {
      return;
    }
    closed = true;
    for (QuicConnection connection : connections) {
      connection.close(ErrorCode.UNAVAILABLE.code(), "server shutting down");
    }
    Channel s = socket;
    if (s != null) {
      // Queued behind the connection closes on the same loop, so their packets go out first.
      s.close();
    }
    EventLoops.shutdown(group);
    LOG.info("QUIC server on udp {} stopped", s == null ? "-" : s.localAddress());
  }

  private void onConnectionActive(QuicConnection connection) {
    if (!accepting) {
      connection.closeNow(ErrorCode.UNAVAILABLE.code(), "server shutting down");
      return;
    }
    if (!SslContexts.ALPN.equals(SslContexts.negotiatedAlpn(connection.channel()))) {
      connection.closeNow(ErrorCode.UNSUPPORTED_FEATURE.code(), "ALPN felix/1 required");
      return;
    }
    connections.add(connection);
    connection.closeFuture().whenComplete((reason, error) -> connections.remove(connection));
    connection.activate(null);
    ConnectionListener listener;
    try {
      listener = acceptor.onConnection(connection);
    } catch (RuntimeException e) {
      LOG.warn("{}: acceptor failed; closing the connection", connection, e);
      connection.closeNow(ErrorCode.INTERNAL.code(), "server error");
      return;
    }
    connection.activate(listener);
  }

  private static void checkSocketBuffers(DatagramChannel socket, TransportConfig config) {
    // Linux reports twice the size it was given, capped by net.core.rmem_max / wmem_max.
    int receive = socket.config().getReceiveBufferSize();
    int send = socket.config().getSendBufferSize();
    if (receive < config.socketReceiveBufferBytes() || send < config.socketSendBufferBytes()) {
      LOG.warn(
          "UDP socket buffers are {} / {} bytes (receive / send), smaller than the configured {} /"
              + " {}: expect packet loss under load (QUIC-NOTES trap 3); raise net.core.rmem_max"
              + " and net.core.wmem_max",
          receive,
          send,
          config.socketReceiveBufferBytes(),
          config.socketSendBufferBytes());
    }
  }

  /**
   * Creates the connection object of each new QUIC connection. The codec builder gives one handler
   * to every connection, so it must be {@code @Sharable}; otherwise the second connection fails,
   * logged only at FINE (QUIC-NOTES trap 4). Runs on the event loop.
   */
  @ChannelHandler.Sharable
  private final class ConnectionInitializer extends ChannelInitializer<QuicChannel> {
    @Override
    protected void initChannel(QuicChannel ch) {
      QuicConnection connection = new QuicConnection(ch, true, config);
      ch.attr(QuicConnection.KEY).set(connection);
      ch.pipeline()
          .addLast(new ConnectionHandler(connection, ServerEndpoint.this::onConnectionActive));
    }
  }
}
