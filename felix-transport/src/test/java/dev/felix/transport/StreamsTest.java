package dev.felix.transport;

import static dev.felix.transport.QuicTests.TIMEOUT_SECONDS;
import static dev.felix.transport.QuicTests.await;
import static dev.felix.transport.QuicTests.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Frame;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.MessageType;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.EventBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames over the stream layout, over real QUIC on loopback. */
class StreamsTest {
  @TempDir static Path dataDir;
  static final Echo echo = new Echo();
  static TransportServer server;
  static TransportClient client;
  static int port;

  @BeforeAll
  static void start() {
    echo.closeConnectionOnControlError = true;
    server = QuicTests.devServer(dataDir, TransportConfig.defaults(), echo);
    port = server.localAddress().getPort();
    client = QuicTests.devClient(dataDir, QuicTests.config().build());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void controlStreamEchoesTenThousandFramesInOrder() throws Exception {
    ClientSide side = new ClientSide();
    TransportConnection connection = await(client.connect("localhost", port, side));
    FrameStream control = connection.controlStream().orElseThrow();
    assertThat(control.role()).isEqualTo(StreamRole.CONTROL);
    assertThat(control.id()).isZero();
    int count = 10_000;
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      assertThat(control.write(Frames.frame(i, 100))).isTrue();
    }
    for (int i = 0; i < count; i++) {
      ByteBuffer frame = side.control.frames.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(frame).as("frame %d", i).isNotNull();
      assertThat(Frames.requestId(frame)).isEqualTo(i);
      assertThat(Frames.intact(frame)).isTrue();
    }
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
    System.out.printf(
        "echo: %d frames of 116 bytes there and back in %d ms (%.0f frames/s each way)%n",
        count, micros / 1000, count * 1e6 / micros);
    connection.close(0, "done");
  }

  @Test
  void frameOfTheMaximumSizeArrivesWhole() throws Exception {
    ClientSide side = new ClientSide();
    TransportConnection connection = await(client.connect("localhost", port, side));
    int max = WireLimits.DEFAULTS.maxFramePayloadBytes();
    connection.controlStream().orElseThrow().write(Frames.frame(42, max));
    ByteBuffer back = side.control.frames.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(back).isNotNull();
    assertThat(Frames.payloadLength(back)).isEqualTo(max);
    assertThat(Frames.intact(back)).isTrue();
    QuicTests.roundTrip(connection, side, 43);
    connection.close(0, "done");
  }

  @Test
  void oversizedHeaderResetsOnlyItsRequestStream() throws Exception {
    ClientSide side = new ClientSide();
    TransportConnection connection = await(client.connect("localhost", port, side));
    Recorder request = new Recorder();
    FrameStream stream = await(connection.openRequestStream(request));
    assertThat(stream.role()).isEqualTo(StreamRole.REQUEST);
    int tooBig = WireLimits.DEFAULTS.maxFramePayloadBytes() + 1;
    stream.write(Frames.header(1, tooBig));

    CloseReason reason = await(request.closed);
    assertThat(reason.origin()).isEqualTo(CloseReason.Origin.PEER);
    assertThat(reason.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE.code());
    ProtocolException error = await(serverProtocolErrorOn(stream.id()));
    assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    // The connection and its control stream carry on.
    assertThat(connection.isOpen()).isTrue();
    QuicTests.roundTrip(connection, side, 5);
    connection.close(0, "done");
  }

  @Test
  void headerErrorIsAnsweredWithAnErrorFrameBeforeTheStreamCloses() throws Exception {
    echo.answerProtocolErrors = true;
    try {
      ClientSide side = new ClientSide();
      TransportConnection connection = await(client.connect("localhost", port, side));
      Recorder request = new Recorder();
      FrameStream stream = await(connection.openRequestStream(request));
      ByteBuffer badMagic = Frames.frame(3, 4);
      badMagic.putShort(0, (short) 0x1234);
      stream.write(badMagic);

      ByteBuffer answer = request.frames.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(answer).isNotNull();
      Frame frame = new FrameCodec(WireLimits.DEFAULTS).decode(answer);
      assertThat(frame.message()).isInstanceOf(ErrorReply.class);
      assertThat(((ErrorReply) frame.message()).errorCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
      await(request.inputFinished);
      stream.finish();
      assertThat(await(request.closed).origin()).isNotEqualTo(CloseReason.Origin.TRANSPORT);
      QuicTests.roundTrip(connection, side, 6);
      connection.close(0, "done");
    } finally {
      echo.answerProtocolErrors = false;
    }
  }

  @Test
  void listenerExceptionResetsOnlyItsStream() throws Exception {
    ClientSide side = new ClientSide();
    TransportConnection connection = await(client.connect("localhost", port, side));
    Recorder request = new Recorder();
    FrameStream stream = await(connection.openRequestStream(request));
    stream.write(Frames.frame(Echo.FAILING_REQUEST_ID, 8));
    CloseReason reason = await(request.closed);
    assertThat(reason.origin()).isEqualTo(CloseReason.Origin.PEER);
    assertThat(reason.errorCode()).isEqualTo(ErrorCode.INTERNAL);
    QuicTests.roundTrip(connection, side, 7);
    connection.close(0, "done");
  }

  @Test
  void oversizedHeaderOnTheControlStreamClosesThatConnectionOnly() throws Exception {
    ClientSide bystanderSide = new ClientSide();
    TransportConnection bystander = await(client.connect("localhost", port, bystanderSide));
    ClientSide offenderSide = new ClientSide();
    TransportConnection offender = await(client.connect("localhost", port, offenderSide));

    // Only the header: the server refuses it before any payload arrives.
    offender.controlStream().orElseThrow().write(Frames.header(9, Integer.MAX_VALUE));

    CloseReason reason = await(offender.closeFuture());
    assertThat(reason.origin()).isEqualTo(CloseReason.Origin.PEER);
    assertThat(reason.errorCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    assertThat(reason.message()).contains("exceeds the maximum");
    assertThat(await(offenderSide.closed)).isEqualTo(reason);
    for (int i = 0; i < 100; i++) {
      QuicTests.roundTrip(bystander, bystanderSide, i);
    }
    bystander.close(0, "done");
  }

  @Test
  void subscriptionStreamsDeliverInOrderIncludingGatheredFrames() throws Exception {
    ClientSide side = new ClientSide();
    int before = echo.connections.size();
    TransportConnection connection = await(client.connect("localhost", port, side));
    TransportConnection serverConnection = serverConnection(before);

    int streams = 8;
    int frames = 1000;
    ByteBuffer shared = ByteBuffer.allocate(300);
    for (int i = 0; i < shared.capacity(); i++) {
      shared.put(i, (byte) (i * 7));
    }
    ByteBuffer sharedReadOnly = shared.asReadOnlyBuffer();
    List<FrameStream> opened = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      opened.add(await(serverConnection.openSubscriptionStream(new Recorder())));
    }
    for (FrameStream stream : opened) {
      assertThat(stream.role()).isEqualTo(StreamRole.SUBSCRIPTION);
      for (int i = 0; i < frames; i++) {
        if (i % 2 == 0) {
          stream.write(Frames.frame(i, 50));
        } else {
          // EventBatch style: per-subscriber prefix plus the shared, read-only part.
          ByteBuffer prefix = ByteBuffer.allocate(EventBatch.PREFIX_BYTES);
          FrameHeader.write(prefix, 0, MessageType.EVENT_BATCH, 0, 4 + 300, i);
          prefix.putInt(FrameHeader.LENGTH, (int) stream.id());
          stream.write(prefix, sharedReadOnly);
        }
      }
      stream.finish();
    }
    assertThat(sharedReadOnly.position()).isZero();

    until("all subscription streams arrived", () -> side.subscriptions.size() == streams);
    for (Recorder recorder : side.subscriptions) {
      FrameStream stream = await(recorder.stream);
      assertThat(stream.canWrite()).isFalse();
      await(recorder.inputFinished);
      assertThat(recorder.frames).hasSize(frames);
      for (int i = 0; i < frames; i++) {
        ByteBuffer frame = recorder.frames.poll();
        assertThat(Frames.requestId(frame)).isEqualTo(i);
        if (i % 2 == 0) {
          assertThat(Frames.intact(frame)).isTrue();
        } else {
          assertThat(frame.remaining()).isEqualTo(EventBatch.PREFIX_BYTES + 300);
          assertThat(frame.getInt(FrameHeader.LENGTH)).isEqualTo((int) stream.id());
          assertThat(frame.slice(EventBatch.PREFIX_BYTES, 300)).isEqualTo(shared);
        }
      }
      assertThat(await(recorder.closed).isError()).isFalse();
    }
    connection.close(0, "done");
  }

  private static TransportConnection serverConnection(int before) throws Exception {
    until("the server accepted the connection", () -> echo.connections.size() > before);
    return echo.connections.get(before);
  }

  private static CompletableFuture<ProtocolException> serverProtocolErrorOn(long streamId)
      throws Exception {
    CompletableFuture<ProtocolException> found = new CompletableFuture<>();
    until(
        "the server reported a protocol error on stream " + streamId,
        () ->
            echo.streams.stream()
                .filter(r -> r.protocolError.isDone() && r.stream.join().id() == streamId)
                .findAny()
                .map(r -> found.complete(r.protocolError.join()))
                .orElse(false));
    return found;
  }
}
