package dev.felix.transport;

import dev.felix.transport.internal.ClientEndpoint;
import java.util.concurrent.CompletableFuture;

/**
 * The QUIC client endpoint: connects to Felix servers and mirrors the server's stream API. One
 * endpoint can hold many connections; each has its own UDP socket and lives on one of the
 * endpoint's {@link TransportConfig#eventLoopThreads()} event loops.
 *
 * <pre>{@code
 * try (TransportClient client = TransportClient.create(TransportConfig.defaults(),
 *     ClientTlsConfig.systemTrust())) {
 *   TransportConnection connection = client.connect("localhost", 5000, listener).join();
 *   connection.controlStream().orElseThrow().write(helloFrame);
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Thread-safe. Listeners of a connection are called on its event loop and must
 * not block.
 */
public final class TransportClient implements AutoCloseable {
  private final ClientEndpoint endpoint;

  TransportClient(TransportConfig config, ClientTlsConfig tls, String alpn) {
    this.endpoint = ClientEndpoint.create(config, tls, alpn);
  }

  /**
   * A client endpoint with its event loops.
   *
   * @throws IllegalArgumentException when a CA file is unusable
   * @throws IllegalStateException when QUIC is unavailable
   */
  public static TransportClient create(TransportConfig config, ClientTlsConfig tls) {
    return new TransportClient(config, tls, ClientEndpoint.felixAlpn());
  }

  /**
   * Connects to {@code host:port}. The server certificate is verified per the {@link
   * ClientTlsConfig}, including that it names {@code host}. Once the handshake is done the
   * transport opens the {@link StreamRole#CONTROL} stream and passes it to {@link
   * ConnectionListener#onStreamOpened}; then the future completes. The host name is resolved on the
   * calling thread.
   *
   * @return completes on the connection's event loop; fails with {@link
   *     dev.felix.error.AuthException} ({@code UNAUTHENTICATED}) when TLS fails (untrusted or
   *     mismatched certificate, ALPN refused), with {@link dev.felix.error.UnavailableException}
   *     ({@code UNAVAILABLE}, {@code TIMEOUT} after {@link TransportConfig#connectTimeoutMs()})
   *     otherwise
   */
  public CompletableFuture<TransportConnection> connect(
      String host, int port, ConnectionListener listener) {
    return endpoint.connect(host, port, listener);
  }

  /** Closes every connection and stops the event loops. Idempotent. */
  @Override
  public void close() {
    endpoint.close();
  }
}
