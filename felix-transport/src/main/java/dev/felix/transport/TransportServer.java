package dev.felix.transport;

import dev.felix.transport.internal.ServerEndpoint;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The QUIC server endpoint: a UDP socket accepting Felix connections (TLS 1.3, ALPN {@code
 * felix/1}), each handed to a {@link ConnectionAcceptor} once its handshake completed.
 *
 * <pre>{@code
 * TransportServer server = TransportServer.start(
 *     new InetSocketAddress("0.0.0.0", 5000), TransportConfig.defaults(),
 *     ServerTlsConfig.development(dataDir), connection -> myListener);
 * ...
 * server.shutdownGracefully(Duration.ofSeconds(10)).join();
 * }</pre>
 *
 * <p><b>Threads.</b> {@link TransportConfig#eventLoopThreads()} UDP sockets share the port
 * (SO_REUSEPORT), each on its own event-loop thread; a connection and its streams live on the loop
 * of the socket that accepted it, and every listener of that connection is called there and must
 * not block. The methods here are thread-safe; {@link #close()} waits for the event loops to stop
 * (unless called from one of them).
 */
public final class TransportServer implements AutoCloseable {
  private final ServerEndpoint endpoint;

  private TransportServer(ServerEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * Binds {@code bindAddress} (port 0: an ephemeral port, see {@link #localAddress()}) and starts
   * accepting connections. With a development {@link ServerTlsConfig} the certificate is generated
   * or reused first (logged as a warning).
   *
   * @throws IllegalArgumentException when the certificate or key file is unusable
   * @throws IllegalStateException when QUIC is unavailable or the socket cannot be bound
   */
  public static TransportServer start(
      InetSocketAddress bindAddress,
      TransportConfig config,
      ServerTlsConfig tls,
      ConnectionAcceptor acceptor) {
    return new TransportServer(ServerEndpoint.start(bindAddress, config, tls, acceptor));
  }

  /** The bound UDP address, with the actual port. */
  public InetSocketAddress localAddress() {
    return endpoint.localAddress();
  }

  /** UDP sockets, each with its own event loop, that share {@link #localAddress()}. */
  public int socketCount() {
    return endpoint.socketCount();
  }

  /** Connections currently open. */
  public int connectionCount() {
    return endpoint.connectionCount();
  }

  /**
   * How many of the server's event loops did not run a no-op task within {@code within} (a liveness
   * check: a loop that is blocked, spinning or dead serves none of its connections). Waits at most
   * {@code within}; 0 after {@link #close()}.
   */
  public int unresponsiveEventLoops(Duration within) {
    return endpoint.unresponsiveEventLoops(within);
  }

  /**
   * Stops accepting connections (new ones are closed with {@code UNAVAILABLE}), closes every
   * connection with {@link TransportConnection#closeGracefully(Duration)} within {@code bound},
   * then closes the UDP socket and the event loop.
   *
   * @return completes once everything is closed
   */
  public CompletableFuture<Void> shutdownGracefully(Duration bound) {
    return endpoint.shutdownGracefully(bound);
  }

  /**
   * Closes every connection at once with {@code UNAVAILABLE}, then the UDP socket and the event
   * loop. Idempotent.
   */
  @Override
  public void close() {
    endpoint.close();
  }
}
