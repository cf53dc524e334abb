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
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side: {@link TransportConfig#eventLoopThreads()} NIO UDP sockets bound to the same
 * address with SO_REUSEPORT, each with its own Netty QUIC server codec on its own event loop. The
 * kernel picks a socket per datagram by hashing the 4-tuple, so every packet of a connection
 * reaches the same socket and codec, and the connections (and the broker work their event loop
 * does: decoding, appending, encrypting each subscriber's stream) spread over the loops. With one
 * socket a fan-out to many subscribers was bound by a single thread (docs/benchmarks.md, W2 and
 * W3-10). A client whose address changes mid-connection (NAT rebinding) may hash to another socket,
 * whose codec does not know the connection; its packets are then dropped and the client reconnects,
 * which connection migration would otherwise avoid (Felix does not use migration). Where
 * SO_REUSEPORT is unavailable one socket is used, with a warning.
 *
 * <p>Bound to a wildcard address, the server also binds the loopback address on its port (as many
 * sockets again), so that clients on this host, which the kernel routes to those sockets, get
 * loopback-sized datagrams both ways ({@link TransportConfig#loopbackUdpPayloadBytes()}).
 *
 * <p>Retry tokens (QUIC-NOTES trap 5) are off (no token handler, i.e. Netty's {@code
 * NoQuicTokenHandler}): a Retry costs every connection one more round trip, and Netty's only
 * ready-made token handler signs nothing, so it would not stop address spoofing anyway. QUIC's
 * anti-amplification limit (3x before the address is validated) still applies.
 *
 * <p><b>Threads.</b> Public methods are thread-safe. {@code connections} is a concurrent set; each
 * connection is owned by the event loop of the socket that accepted it.
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
  private final List<Channel> sockets = new CopyOnWriteArrayList<>();

  /** Sockets on the loopback address beside a wildcard bind (see bindLoopbackCompanions). */
  private final List<Channel> loopbackSockets = new CopyOnWriteArrayList<>();

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
    int socketCount = config.eventLoopThreads();
    boolean reusePort = reusePortAvailable();
    if (socketCount > 1 && !reusePort) {
      LOG.warn(
          "SO_REUSEPORT is not available: one UDP socket and one event loop serve every"
              + " connection");
      socketCount = 1;
    }
    EventLoopGroup group = EventLoops.nio(socketCount, "felix-quic-server");
    ServerEndpoint endpoint = new ServerEndpoint(config, acceptor, group);
    try {
      InetSocketAddress address = bindAddress;
      boolean loopbackCompanions = reusePort && wantsLoopbackCompanions(bindAddress, config);
      for (int i = 0; i < socketCount; i++) {
        // Each socket gets its own codec: a codec holds the connections its socket accepted.
        Channel socket = endpoint.bind(address, sslContext, socketCount > 1 || loopbackCompanions);
        endpoint.sockets.add(socket);
        checkSocketBuffers((DatagramChannel) socket, config);
        // Port 0 picks an ephemeral port for the first socket; the others join that port.
        address = (InetSocketAddress) socket.localAddress();
      }
      if (loopbackCompanions) {
        endpoint.bindLoopbackCompanions(address, sslContext, socketCount);
      }
      LOG.info(
          "QUIC listening on udp {} (ALPN {}, {} socket(s) and event loop(s){})",
          address,
          SslContexts.ALPN,
          socketCount,
          endpoint.loopbackSockets.isEmpty()
              ? ""
              : ", plus " + endpoint.loopbackSockets.size() + " on loopback for local clients");
      return endpoint;
    } catch (RuntimeException e) {
      for (Channel socket : endpoint.sockets) {
        socket.close();
      }
      for (Channel socket : endpoint.loopbackSockets) {
        socket.close();
      }
      EventLoops.shutdown(group);
      throw new IllegalStateException("cannot listen on udp " + bindAddress + ": " + e, e);
    }
  }

  private Channel bind(InetSocketAddress address, QuicSslContext sslContext, boolean reusePort) {
    ChannelHandler codec =
        QuicCodecs.server(config, address.getAddress())
            .sslContext(sslContext)
            .tokenHandler(null)
            .handler(new ConnectionInitializer())
            .streamHandler(PeerStreamInitializer.INSTANCE)
            .build();
    Bootstrap bootstrap =
        QuicCodecs.datagramSocket(
                group, config, QuicCodecs.receivePayloadBytes(config, address.getAddress()))
            .handler(codec);
    if (reusePort) {
      bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
    }
    return bootstrap.bind(address).syncUninterruptibly().channel();
  }

  /**
   * A server bound to a wildcard address sends network-sized datagrams (its codec cannot tell a
   * local peer from a remote one), so it also binds the loopback address on the same port: the
   * kernel delivers a datagram to the socket whose address matches its destination exactly before a
   * wildcard one, so clients on this host reach these loopback-bound sockets, whose codecs send
   * loopback-sized datagrams. Needs SO_REUSEPORT on every socket of the port.
   */
  private static boolean wantsLoopbackCompanions(
      InetSocketAddress bindAddress, TransportConfig config) {
    return bindAddress.getAddress().isAnyLocalAddress()
        && config.udpPayloadBytes(true) != config.udpPayloadBytes(false);
  }

  /**
   * Binds {@code count} sockets per loopback address ({@code 127.0.0.1}, and {@code ::1} beside an
   * IPv6 wildcard) on {@code wildcard}'s port. Best effort: an address that cannot be bound (no
   * IPv6, say) only costs local clients the larger datagrams.
   */
  private void bindLoopbackCompanions(
      InetSocketAddress wildcard, QuicSslContext sslContext, int count) {
    List<InetAddress> loopbacks = new ArrayList<>();
    loopbacks.add(InetAddress.getLoopbackAddress());
    if (wildcard.getAddress() instanceof Inet6Address) {
      try {
        loopbacks.add(InetAddress.getByName("::1"));
      } catch (UnknownHostException e) {
        // a literal never needs a lookup
      }
    }
    for (InetAddress loopback : loopbacks) {
      InetSocketAddress address = new InetSocketAddress(loopback, wildcard.getPort());
      List<Channel> bound = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          bound.add(bind(address, sslContext, true));
        }
        loopbackSockets.addAll(bound);
      } catch (RuntimeException e) {
        bound.forEach(Channel::close);
        LOG.info(
            "QUIC: not listening on {} as well ({}); local clients get network-sized datagrams",
            address,
            e.toString());
      }
    }
  }

  private static boolean reusePortAvailable() {
    try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open()) {
      return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
    } catch (IOException e) {
      return false;
    }
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) sockets.get(0).localAddress();
  }

  /** UDP sockets (and event loops) serving connections. */
  public int socketCount() {
    return sockets.size();
  }

  public int connectionCount() {
    return connections.size();
  }

  /**
   * Event loops that did not run a no-op task within {@code within}; 0 once the endpoint was closed
   * on purpose (its loops are meant to be gone).
   */
  public int unresponsiveEventLoops(Duration within) {
    return closed ? 0 : EventLoops.unresponsive(group, within);
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
    Object address = sockets.isEmpty() ? "-" : sockets.get(0).localAddress();
    for (Channel socket : sockets) {
      // Queued behind the connection closes on the same loop, so their packets go out first.
      socket.close();
    }
    for (Channel socket : loopbackSockets) {
      socket.close();
    }
    EventLoops.shutdown(group);
    LOG.info("QUIC server on udp {} stopped", address);
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
