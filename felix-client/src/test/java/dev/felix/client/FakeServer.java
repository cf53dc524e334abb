package dev.felix.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.transport.ConnectionListener;
import dev.felix.transport.DevelopmentCertificates;
import dev.felix.transport.ServerTlsConfig;
import dev.felix.transport.TransportConfig;
import dev.felix.transport.TransportServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted Felix broker for client tests: the real QUIC transport (TLS with the development
 * certificate) and the real codec, but no broker logic. Each accepted connection becomes a {@link
 * FakeConnection} that the test drives frame by frame.
 */
final class FakeServer implements AutoCloseable {
  static final long TIMEOUT_SECONDS = 10;

  private final Path dataDir;
  private final TransportServer server;
  private final LinkedBlockingQueue<FakeConnection> accepted = new LinkedBlockingQueue<>();

  private FakeServer(Path dataDir, TransportConfig config) {
    this.dataDir = dataDir;
    this.server =
        TransportServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            config,
            ServerTlsConfig.development(dataDir),
            connection -> {
              FakeConnection fake = new FakeConnection(connection);
              accepted.add(fake);
              return (ConnectionListener) fake;
            });
  }

  static FakeServer start(Path dataDir) {
    return start(dataDir, TransportConfig.builder().eventLoopThreads(1).build());
  }

  static FakeServer start(Path dataDir, TransportConfig config) {
    return new FakeServer(dataDir, config);
  }

  String address() {
    return "127.0.0.1:" + server.localAddress().getPort();
  }

  Path caFile() {
    return DevelopmentCertificates.caCertificateFile(dataDir);
  }

  /** Client options that trust this server's development CA and reconnect quickly. */
  FelixOptions.Builder clientOptions() {
    return FelixOptions.builder()
        .serverAddress(address())
        .caFile(caFile())
        .trustSystemStore(false)
        .clientName("test-client")
        .requestTimeout(Duration.ofSeconds(5))
        .reconnect(
            ReconnectPolicy.DEFAULT
                .withInitialBackoff(Duration.ofMillis(20))
                .withMaxBackoff(Duration.ofMillis(200)));
  }

  /** The next connection a client opened. */
  FakeConnection accept() throws InterruptedException {
    FakeConnection connection = accepted.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(connection).as("a client connection within %d s", TIMEOUT_SECONDS).isNotNull();
    return connection;
  }

  /** The next connection, with the handshake answered by a default HelloOk. */
  FakeConnection acceptAndHandshake() throws InterruptedException {
    FakeConnection connection = accept();
    connection.handshake();
    return connection;
  }

  @Override
  public void close() {
    server.close();
  }
}
