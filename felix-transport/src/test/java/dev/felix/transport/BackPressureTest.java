package dev.felix.transport;

import static dev.felix.transport.QuicTests.await;
import static dev.felix.transport.QuicTests.failure;
import static dev.felix.transport.QuicTests.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stream limits and flow control surface as back-pressure, never as failures (QUIC-NOTES 2, 7). */
// Dependent actions are attached for their side effect; the tests await the original futures.
@SuppressWarnings("FutureReturnValueIgnored")
class BackPressureTest {
  @TempDir static Path dataDir;

  @BeforeAll
  static void certificates() {
    DevelopmentCertificates.ensure(dataDir);
  }

  @Test
  void subscriptionOpensBeyondTheClientsStreamLimitWaitForCredit() throws Exception {
    Echo echo = new Echo();
    try (TransportServer server = QuicTests.devServer(dataDir, TransportConfig.defaults(), echo);
        TransportClient client =
            QuicTests.devClient(dataDir, QuicTests.config().maxUniStreams(4).build())) {
      ClientSide side = new ClientSide();
      TransportConnection connection =
          await(client.connect("localhost", server.localAddress().getPort(), side));
      TransportConnection serverConnection = await(echo.firstConnection);

      List<CompletableFuture<FrameStream>> opens = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        opens.add(serverConnection.openSubscriptionStream(new Recorder()));
      }
      until(
          "4 streams open and 16 waiting",
          () ->
              opens.stream().filter(CompletableFuture::isDone).count() == 4
                  && serverConnection.pendingStreamOpens() == 16);
      assertThat(opens).noneMatch(CompletableFuture::isCompletedExceptionally);

      // Each stream finishes after 10 frames; its completion gives the credit for the next one.
      for (CompletableFuture<FrameStream> open : opens) {
        open.thenAccept(
            stream -> {
              for (int i = 0; i < 10; i++) {
                stream.write(Frames.frame(i, 32));
              }
              stream.finish();
            });
      }
      until("all 20 streams delivered", () -> countFinished(side) == 20);
      for (Recorder recorder : side.subscriptions) {
        assertThat(recorder.frames).hasSize(10);
      }
      assertThat(serverConnection.pendingStreamOpens()).isZero();
      connection.close(0, "done");
    }
  }

  @Test
  void requestStreamsBeyondTheServersStreamLimitWaitForCredit() throws Exception {
    // Control stream plus two request streams at a time.
    TransportConfig serverConfig = TransportConfig.builder().maxBidiStreams(3).build();
    try (TransportServer server = QuicTests.devServer(dataDir, serverConfig, new Echo());
        TransportClient client = QuicTests.devClient(dataDir, QuicTests.config().build())) {
      TransportConnection connection =
          await(client.connect("localhost", server.localAddress().getPort(), new ClientSide()));
      List<Recorder> recorders = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        Recorder recorder = new Recorder();
        recorders.add(recorder);
        int requestId = i;
        connection
            .openRequestStream(recorder)
            .thenAccept(
                stream -> {
                  stream.write(Frames.frame(requestId, 16));
                  stream.finish();
                });
      }
      for (int i = 0; i < recorders.size(); i++) {
        Recorder recorder = recorders.get(i);
        assertThat(await(recorder.closed).isError()).isFalse();
        ByteBuffer answer = recorder.frames.poll();
        assertThat(answer).isNotNull();
        assertThat(Frames.requestId(answer)).isEqualTo(i);
      }
      connection.close(0, "done");
    }
  }

  @Test
  void opensBeyondTheWaitingBoundOrPastTheTimeoutFailWithBackpressure() throws Exception {
    TransportConfig serverConfig = TransportConfig.builder().maxBidiStreams(2).build();
    TransportConfig clientConfig =
        QuicTests.config().maxPendingStreamOpens(2).streamOpenTimeoutMs(300).build();
    try (TransportServer server = QuicTests.devServer(dataDir, serverConfig, new Echo());
        TransportClient client = QuicTests.devClient(dataDir, clientConfig)) {
      ClientSide side = new ClientSide();
      TransportConnection connection =
          await(client.connect("localhost", server.localAddress().getPort(), side));
      await(connection.openRequestStream(new Recorder())); // uses the last credit, stays open
      CompletableFuture<FrameStream> waiting1 = connection.openRequestStream(new Recorder());
      CompletableFuture<FrameStream> waiting2 = connection.openRequestStream(new Recorder());
      until("two opens wait", () -> connection.pendingStreamOpens() == 2);

      Throwable overflow = failure(connection.openRequestStream(new Recorder()));
      assertThat(overflow).isInstanceOf(LimitException.class);
      assertThat(((LimitException) overflow).code()).isEqualTo(ErrorCode.BACKPRESSURE);

      for (CompletableFuture<FrameStream> waiting : List.of(waiting1, waiting2)) {
        Throwable expired = failure(waiting);
        assertThat(expired).isInstanceOf(LimitException.class).hasMessageContaining("credit");
        assertThat(((LimitException) expired).code()).isEqualTo(ErrorCode.BACKPRESSURE);
      }
      QuicTests.roundTrip(connection, side, 1);
      connection.close(0, "done");
    }
  }

  @Test
  void writabilityTurnsFalseUnderAStalledReaderAndBackToTrue() throws Exception {
    Echo echo = new Echo();
    TransportConfig serverConfig =
        TransportConfig.builder()
            .sendQueueHighWaterMarkBytes(256 * 1024)
            .sendQueueLowWaterMarkBytes(64 * 1024)
            .build();
    // A small stream window: the stalled reader blocks the sender after 64 KiB.
    TransportConfig clientConfig =
        QuicTests.config()
            .initialMaxDataBytes(1024 * 1024)
            .initialMaxStreamDataBytes(64 * 1024)
            .build();
    try (TransportServer server = QuicTests.devServer(dataDir, serverConfig, echo);
        TransportClient client = QuicTests.devClient(dataDir, clientConfig)) {
      ClientSide side =
          new ClientSide() {
            @Override
            public StreamListener onStreamOpened(FrameStream stream) {
              if (stream.role() == StreamRole.SUBSCRIPTION) {
                stream.pauseReading(); // the stalled reader
              }
              return super.onStreamOpened(stream);
            }
          };
      TransportConnection connection =
          await(client.connect("localhost", server.localAddress().getPort(), side));
      TransportConnection serverConnection = await(echo.firstConnection);
      Recorder senderEvents = new Recorder();
      FrameStream sender = await(serverConnection.openSubscriptionStream(senderEvents));
      assertThat(sender.isWritable()).isTrue();

      int written = 0;
      while (sender.isWritable() && written < 10_000) {
        assertThat(sender.write(Frames.frame(written++, 1024))).isTrue();
      }
      assertThat(sender.isWritable()).isFalse();
      assertThat(written).isLessThan(10_000);
      // It turned unwritable only after queuing past the marks (frames of 1024 + 16 bytes; the
      // queue may have handed some to quiche already). Whether the bytes still wait
      // in the queue when the event arrives depends on how much quiche and Netty took meanwhile;
      // the event itself must come either way (a producer saw false, so it waits for true).
      assertThat(written * 1024L).isGreaterThan(64 * 1024);
      until("the sender was told it is unwritable", () -> senderEvents.writability.contains(false));

      until("the subscription stream reached the client", () -> side.subscriptions.size() == 1);
      Recorder reader = side.subscriptions.get(0);
      await(reader.stream).resumeReading();
      until(
          "the sender was told it is writable again",
          () -> senderEvents.writability.equals(List.of(false, true)));
      assertThat(sender.isWritable()).isTrue();

      for (int i = 0; i < 10; i++) {
        sender.write(Frames.frame(written++, 1024));
      }
      sender.finish();
      await(reader.inputFinished);
      assertThat(reader.frames).hasSize(written);
      for (int i = 0; i < written; i++) {
        ByteBuffer frame = reader.frames.poll();
        assertThat(Frames.requestId(frame)).isEqualTo(i);
        assertThat(Frames.intact(frame)).isTrue();
      }
      connection.close(0, "done");
    }
  }

  private static long countFinished(ClientSide side) {
    return side.subscriptions.stream().filter(r -> r.inputFinished.isDone()).count();
  }
}
