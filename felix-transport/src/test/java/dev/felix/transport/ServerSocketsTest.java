package dev.felix.transport;

import static dev.felix.transport.QuicTests.await;
import static dev.felix.transport.QuicTests.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
