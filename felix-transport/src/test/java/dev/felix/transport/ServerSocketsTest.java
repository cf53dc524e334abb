package dev.felix.transport;

import static dev.felix.transport.QuicTests.await;
import static dev.felix.transport.QuicTests.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's UDP sockets share one port (SO_REUSEPORT), each with its own event loop: every
 * connection keeps working whichever socket the kernel hashed it to, and connections from different
 * client ports land on more than one loop.
 */
class ServerSocketsTest {
  @TempDir static Path dataDir;

  @BeforeAll
  static void certificates() {
    DevelopmentCertificates.ensure(dataDir);
  }

  @Test
  void connectionsSpreadOverSocketsSharingThePort() throws Exception {
    Set<String> serverLoops = ConcurrentHashMap.newKeySet();
    Echo echo =
        new Echo() {
          @Override
          public ConnectionListener onConnection(TransportConnection connection) {
            serverLoops.add(Thread.currentThread().getName()); // called on the connection's loop
            return super.onConnection(connection);
          }
        };
    TransportConfig serverConfig = TransportConfig.builder().eventLoopThreads(4).build();
    int clients = 24;
    List<TransportClient> endpoints = new ArrayList<>();
    try (TransportServer server = QuicTests.devServer(dataDir, serverConfig, echo)) {
      assertThat(server.socketCount()).isEqualTo(4);
      int port = server.localAddress().getPort();
      for (int i = 0; i < clients; i++) {
        // One endpoint per client: each binds its own UDP port, so the 4-tuples differ.
        TransportClient endpoint = QuicTests.devClient(dataDir, QuicTests.config().build());
        endpoints.add(endpoint);
        ClientSide side = new ClientSide();
        TransportConnection connection = await(endpoint.connect("localhost", port, side));
        for (int request = 1; request <= 3; request++) {
          QuicTests.roundTrip(connection, side, request);
        }
      }
      until("every connection is registered", () -> server.connectionCount() == clients);
      // 24 connections hashed over 4 sockets all landing on one has probability 4 * 4^-24.
      assertThat(serverLoops).hasSizeGreaterThan(1);
      assertThat(serverLoops).allMatch(name -> name.startsWith("felix-quic-server"));
    } finally {
      endpoints.forEach(TransportClient::close);
    }
  }

  @Test
  void aBlockedEventLoopIsReportedUnresponsiveUntilItRunsAgain() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Echo stuck =
        new Echo() {
          @Override
          public ConnectionListener onConnection(TransportConnection connection) {
            blocked.countDown();
            try {
              release.await(); // a listener that blocks its loop: what the check must catch
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.onConnection(connection);
          }
        };
    TransportConfig serverConfig = TransportConfig.builder().eventLoopThreads(2).build();
    try (TransportServer server = QuicTests.devServer(dataDir, serverConfig, stuck);
        TransportClient client = QuicTests.devClient(dataDir, QuicTests.config().build())) {
      assertThat(server.unresponsiveEventLoops(Duration.ofSeconds(5))).isZero();

      CompletableFuture<TransportConnection> connecting =
          client.connect("localhost", server.localAddress().getPort(), new ClientSide());
      assertThat(blocked.await(QuicTests.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      assertThat(server.unresponsiveEventLoops(Duration.ofMillis(300))).isEqualTo(1);
      assertThat(System.nanoTime() - start).as("bounded by its wait").isLessThan(5_000_000_000L);

      release.countDown();
      await(connecting);
      until("the loop runs again", () -> server.unresponsiveEventLoops(Duration.ofSeconds(1)) == 0);
      server.close();
      assertThat(server.unresponsiveEventLoops(Duration.ofMillis(100)))
          .as("loops closed on purpose are not a liveness failure")
          .isZero();
    } finally {
      release.countDown();
    }
  }

  @Test
  void oneLoopMeansOneSocket() throws Exception {
    TransportConfig serverConfig = TransportConfig.builder().eventLoopThreads(1).build();
    try (TransportServer server = QuicTests.devServer(dataDir, serverConfig, new Echo());
        TransportClient client = QuicTests.devClient(dataDir, QuicTests.config().build())) {
      assertThat(server.socketCount()).isEqualTo(1);
      ClientSide side = new ClientSide();
      TransportConnection connection =
          await(client.connect("localhost", server.localAddress().getPort(), side));
      QuicTests.roundTrip(connection, side, 7);
    }
  }
}
