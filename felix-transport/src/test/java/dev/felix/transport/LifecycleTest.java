package dev.felix.transport;

import static dev.felix.transport.QuicTests.await;
import static dev.felix.transport.QuicTests.failure;
import static dev.felix.transport.QuicTests.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.error.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection close, idle timeout, graceful close and server shutdown over real QUIC. */
// Dependent actions are attached for their side effect; the tests await the original futures.
@SuppressWarnings("FutureReturnValueIgnored")
class LifecycleTest {
  @TempDir static Path dataDir;

  @BeforeAll
  static void certificates() {
    DevelopmentCertificates.ensure(dataDir);
  }

  @Test
  void idleTimeoutClosesBothSides() throws Exception {
    Echo echo = new Echo();
    TransportConfig idle = QuicTests.config().maxIdleTimeoutMs(300).build();
    try (TransportServer server = QuicTests.devServer(dataDir, idle, echo);
        TransportClient client = QuicTests.devClient(dataDir, idle)) {
      ClientSide side = new ClientSide();
      long start = System.nanoTime();
      TransportConnection connection =
          await(client.connect("localhost", server.localAddress().getPort(), side));
      TransportConnection serverConnection = await(echo.firstConnection);

      CloseReason reason = await(connection.closeFuture());
      assertThat(reason.origin()).isEqualTo(CloseReason.Origin.IDLE_TIMEOUT);
      assertThat(reason.isError()).isTrue();
      assertThat(System.nanoTime() - start).isGreaterThan(Duration.ofMillis(250).toNanos());
      assertThat(await(side.closed)).isEqualTo(reason);
      assertThat(await(side.control.closed).origin()).isEqualTo(CloseReason.Origin.IDLE_TIMEOUT);
      assertThat(await(serverConnection.closeFuture()).origin())
          .isEqualTo(CloseReason.Origin.IDLE_TIMEOUT);
      until("the server forgot the connection", () -> server.connectionCount() == 0);
    }
  }

  @Test
  void aTaskRunsLaterOnTheConnectionsEventLoopUntilTheClientIsClosed() throws Exception {
    Echo echo = new Echo();
    TransportConnection connection;
    try (TransportServer server = QuicTests.devServer(dataDir, TransportConfig.defaults(), echo);
        TransportClient client = QuicTests.devClient(dataDir, QuicTests.config().build())) {
      connection =
          await(client.connect("localhost", server.localAddress().getPort(), new ClientSide()));
      CompletableFuture<String> ranOn = new CompletableFuture<>();
      CompletableFuture<Boolean> nestedRanInline = new CompletableFuture<>();
      assertThat(
              connection.execute(
                  () -> {
                    ranOn.complete(Thread.currentThread().getName());
                    boolean[] ran = new boolean[1];
                    connection.execute(() -> ran[0] = true);
                    nestedRanInline.complete(ran[0]);
                  }))
          .isTrue();
      assertThat(await(ranOn)).startsWith("felix-quic-client");
      assertThat(await(nestedRanInline)).as("a task queued from the loop runs later").isFalse();
    }
    until("the client's loop refuses tasks", () -> !connection.execute(() -> {}));
  }

  @Test
  void closeWithAnErrorCodeAndReasonReachesThePeer() throws Exception {
    Echo echo = new Echo();
    try (TransportServer server = QuicTests.devServer(dataDir, TransportConfig.defaults(), echo);
        TransportClient client = QuicTests.devClient(dataDir, QuicTests.config().build())) {
      TransportConnection connection =
          await(client.connect("localhost", server.localAddress().getPort(), new ClientSide()));
      TransportConnection serverConnection = await(echo.firstConnection);
      assertThat(serverConnection.isServerSide()).isTrue();
      assertThat(serverConnection.remoteAddress().getAddress().isLoopbackAddress()).isTrue();

      serverConnection.close(ErrorCode.SLOW_CONSUMER.code(), "subscriber too slow");

      CloseReason atClient = await(connection.closeFuture());
      assertThat(atClient.origin()).isEqualTo(CloseReason.Origin.PEER);
      assertThat(atClient.errorCode()).isEqualTo(ErrorCode.SLOW_CONSUMER);
      assertThat(atClient.message()).isEqualTo("subscriber too slow");
      CloseReason atServer = await(serverConnection.closeFuture());
      assertThat(atServer.origin()).isEqualTo(CloseReason.Origin.LOCAL);
      assertThat(atServer.code()).isEqualTo(ErrorCode.SLOW_CONSUMER.code());
    }
  }

  @Test
  void closedConnectionRefusesWritesAndStreamOpens() throws Exception {
    try (TransportServer server =
            QuicTests.devServer(dataDir, TransportConfig.defaults(), new Echo());
        TransportClient client = QuicTests.devClient(dataDir, QuicTests.config().build())) {
      ClientSide side = new ClientSide();
      TransportConnection connection =
          await(client.connect("localhost", server.localAddress().getPort(), side));
      FrameStream control = connection.controlStream().orElseThrow();
      connection.close(0, "bye");
      assertThat(connection.isOpen()).isFalse();
      assertThat(await(connection.closeFuture()).isError()).isFalse();
      assertThat(control.write(Frames.frame(1, 8))).isFalse();
      assertThat(control.isWritable()).isFalse();
      assertThat(failure(connection.openRequestStream(new Recorder())))
          .isInstanceOf(UnavailableException.class);
    }
  }

  @Test
  void gracefulServerShutdownDeliversQueuedFramesThenRefusesConnections() throws Exception {
    CompletableFuture<FrameStream> subscription = new CompletableFuture<>();
    Echo echo =
        new Echo() {
          @Override
          public ConnectionListener onConnection(TransportConnection connection) {
            connection.openSubscriptionStream(new Recorder()).thenAccept(subscription::complete);
            return super.onConnection(connection);
          }
        };
    TransportServer server = QuicTests.devServer(dataDir, TransportConfig.defaults(), echo);
    int port = server.localAddress().getPort();
    TransportConfig clientConfig = QuicTests.config().connectTimeoutMs(500).build();
    try (TransportClient client = QuicTests.devClient(dataDir, clientConfig)) {
      // A well-behaved client: when the server finishes the control stream, finish ours too.
      Recorder control =
          new Recorder() {
            @Override
            public void onInputFinished(FrameStream stream) {
              super.onInputFinished(stream);
              stream.finish();
            }
          };
      ClientSide side = new ClientSide(control, Recorder::new);
      TransportConnection connection = await(client.connect("localhost", port, side));
      QuicTests.roundTrip(connection, side, 1); // the server learns of a stream from its first byte
      FrameStream events = await(subscription);
      int count = 5000;
      for (int i = 0; i < count; i++) {
        events.write(Frames.frame(i, 1000));
      }

      await(server.shutdownGracefully(Duration.ofSeconds(10)));

      until("the subscription stream reached the client", () -> side.subscriptions.size() == 1);
      Recorder received = side.subscriptions.get(0);
      await(received.inputFinished);
      assertThat(received.frames).hasSize(count);
      for (int i = 0; i < count; i++) {
        ByteBuffer frame = received.frames.poll();
        assertThat(Frames.requestId(frame)).isEqualTo(i);
      }
      await(control.inputFinished);
      CloseReason reason = await(connection.closeFuture());
      assertThat(reason.origin()).isEqualTo(CloseReason.Origin.PEER);
      assertThat(reason.isError()).isFalse();
      assertThat(server.connectionCount()).isZero();

      Throwable refused = failure(client.connect("localhost", port, new ClientSide()));
      assertThat(refused).isInstanceOf(UnavailableException.class);
    } finally {
      server.close();
    }
  }

  @Test
  void gracefulCloseGivesUpAtTheBoundWhenThePeerDoesNotFinish() throws Exception {
    Echo echo = new Echo();
    try (TransportServer server = QuicTests.devServer(dataDir, TransportConfig.defaults(), echo);
        TransportClient client = QuicTests.devClient(dataDir, QuicTests.config().build())) {
      ClientSide side = new ClientSide(); // never finishes its control stream
      TransportConnection connection =
          await(client.connect("localhost", server.localAddress().getPort(), side));
      QuicTests.roundTrip(connection, side, 1);
      TransportConnection serverConnection = await(echo.firstConnection);

      long start = System.nanoTime();
      boolean drained = await(serverConnection.closeGracefully(Duration.ofMillis(300)));
      assertThat(drained).isFalse();
      assertThat(System.nanoTime() - start).isGreaterThan(Duration.ofMillis(250).toNanos());
      await(side.control.inputFinished);
      CloseReason reason = await(connection.closeFuture());
      assertThat(reason.origin()).isEqualTo(CloseReason.Origin.PEER);
      assertThat(reason.code()).isEqualTo(CloseReason.NO_ERROR);
      assertThat(reason.message()).contains("deadline");
    }
  }
}
