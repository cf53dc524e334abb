package dev.felix.systemtest;

import dev.felix.transport.ClientTlsConfig;
import dev.felix.transport.CloseReason;
import dev.felix.transport.ConnectionListener;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.transport.StreamRole;
import dev.felix.transport.TransportClient;
import dev.felix.transport.TransportConfig;
import dev.felix.transport.TransportConnection;
import dev.felix.wire.Bytes;
import dev.felix.wire.Frame;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.MessageType;
import dev.felix.wire.ProtocolVersion;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.RecordCursor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A scripted peer on a raw {@link TransportClient} connection: it writes arbitrary bytes on the
 * control stream (or a request stream) and records every frame the server sends back, on the
 * control stream and on subscription streams, plus how the connection closed. It never reacts on
 * its own: no Pong, no leaving after GoAway. That is what the malformed-frame tests and the drain
 * tests need.
 */
final class RawConnection implements AutoCloseable {
  static final FrameCodec CODEC = new FrameCodec(WireLimits.DEFAULTS);

  private final TransportClient transport;
  private final BlockingQueue<Frame> controlFrames = new LinkedBlockingQueue<>();
  private final List<EventBatchSummary> events = new CopyOnWriteArrayList<>();
  private final List<Frame> subscriptionFrames = new CopyOnWriteArrayList<>();
  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  private final List<FrameStream> subscriptionStreams = new CopyOnWriteArrayList<>();
  private final List<String> subscriptionStreamTrouble = new CopyOnWriteArrayList<>();
  private volatile boolean pauseSubscriptionStreams;
  private volatile TransportConnection connection;

  /** One EventBatch as received: its offsets and payloads (copied out of the frame). */
  record EventBatchSummary(
      int subscriptionId, int shard, List<Long> offsets, List<String> payloads) {}

  private RawConnection(TransportClient transport) {
    this.transport = transport;
  }

  /** Connects to {@code felix} without sending anything yet. */
  static RawConnection connect(EmbeddedFelix felix) {
    return connect(felix.quicSocketAddress().getPort(), felix.caFile());
  }

  /** Connects to a server on loopback {@code port} whose development CA is {@code caFile}. */
  static RawConnection connect(int port, Path caFile) {
    return connect(
        port, caFile, TransportConfig.defaults().toBuilder().eventLoopThreads(1).build());
  }

  /** Connects with explicit QUIC settings (e.g. tiny flow-control windows). */
  static RawConnection connect(int port, Path caFile, TransportConfig config) {
    TransportClient transport = TransportClient.create(config, ClientTlsConfig.caFile(caFile));
    RawConnection raw = new RawConnection(transport);
    try {
      raw.connection =
          transport.connect("127.0.0.1", port, raw.new Listener()).get(30, TimeUnit.SECONDS);
      var unused =
          raw.connection.closeFuture().whenComplete((reason, error) -> raw.closed.complete(reason));
      return raw;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      transport.close();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      transport.close();
      throw new IllegalStateException("raw connect failed", e);
    }
  }

  /** Records frames; the control stream and subscription streams apart. Event loop. */
  private final class Listener implements ConnectionListener {
    @Override
    public StreamListener onStreamOpened(FrameStream stream) {
      if (stream.role() == StreamRole.CONTROL) {
        return (s, frame) -> onControlFrame(frame);
      }
      subscriptionStreams.add(stream);
      if (pauseSubscriptionStreams) {
        stream.pauseReading();
      }
      return new StreamListener() {
        @Override
        public void onFrame(FrameStream s, ByteBuffer frame) {
          onSubscriptionFrame(frame);
        }

        @Override
        public void onProtocolError(FrameStream s, dev.felix.error.ProtocolException error) {
          subscriptionStreamTrouble.add("stream " + s.id() + ": " + error.getMessage());
        }

        @Override
        public void onClosed(FrameStream s, CloseReason reason) {
          if (reason.isError()) {
            subscriptionStreamTrouble.add("stream " + s.id() + " closed: " + reason);
          }
        }
      };
    }
  }

  /**
   * Subscription streams opened from now on start paused: the server's writes to them back up into
   * QUIC flow control, as with an application that does not read.
   */
  void pauseSubscriptionStreams() {
    pauseSubscriptionStreams = true;
  }

  /** Reads every subscription stream again. */
  void resumeSubscriptionStreams() {
    pauseSubscriptionStreams = false;
    for (FrameStream stream : subscriptionStreams) {
      stream.resumeReading();
    }
  }

  /** The subscription streams the server opened so far. */
  List<FrameStream> subscriptionStreamsOpened() {
    return List.copyOf(subscriptionStreams);
  }

  /** Protocol errors and error closes seen on subscription streams. */
  List<String> subscriptionStreamTrouble() {
    return List.copyOf(subscriptionStreamTrouble);
  }

  private void onControlFrame(ByteBuffer frame) {
    controlFrames.add(CODEC.decode(frame));
  }

  private void onSubscriptionFrame(ByteBuffer frame) {
    Frame decoded = CODEC.decode(frame);
    subscriptionFrames.add(decoded);
    if (decoded.message() instanceof EventBatch batch) {
      List<Long> offsets = new ArrayList<>();
      List<String> payloads = new ArrayList<>();
      RecordCursor cursor = batch.records().cursor();
      while (cursor.next()) {
        offsets.add(batch.baseOffset() + cursor.offsetDelta());
        payloads.add(cursor.copyPayload().toUtf8());
      }
      events.add(new EventBatchSummary(batch.subscriptionId(), batch.shard(), offsets, payloads));
    }
  }

  // ---- sending ----

  FrameStream control() {
    return connection.controlStream().orElseThrow();
  }

  /** Writes raw bytes, whatever they are, on the control stream. */
  void sendRaw(ByteBuffer bytes) {
    if (!control().write(bytes)) {
      throw new IllegalStateException("the control stream no longer takes frames");
    }
  }

  void send(int requestId, Message message) {
    sendRaw(FrameCodec.encode(requestId, message));
  }

  /** Sends Hello for version 1 and returns the HelloOk. */
  HelloOk hello() {
    send(1, new Hello(ProtocolVersion.CURRENT, ProtocolVersion.CURRENT, 0, "raw", Bytes.EMPTY));
    Frame answer = awaitReply(1, Await.DEFAULT);
    if (!(answer.message() instanceof HelloOk ok)) {
      throw new AssertionError("Hello was answered with " + answer.message());
    }
    return ok;
  }

  /**
   * A header followed by {@code payload}, with every header field chosen by the caller: the way to
   * build frames the codec would refuse to encode.
   */
  static ByteBuffer frame(
      int magic, int version, int type, int payloadLength, int requestId, byte[] payload) {
    ByteBuffer frame =
        ByteBuffer.allocate(FrameHeader.LENGTH + payload.length).order(ByteOrder.BIG_ENDIAN);
    frame.putShort((short) magic);
    frame.put((byte) version);
    frame.put((byte) type);
    frame.putShort((short) 0);
    frame.put((byte) 0);
    frame.put((byte) 0);
    frame.putInt(payloadLength);
    frame.putInt(requestId);
    frame.put(payload);
    return frame.flip();
  }

  /** A valid header of {@code type} whose payload is {@code payload}, however wrong it is. */
  static ByteBuffer frame(MessageType type, int requestId, byte[] payload) {
    return frame(
        FrameHeader.MAGIC,
        ProtocolVersion.CURRENT,
        type.code(),
        payload.length,
        requestId,
        payload);
  }

  /** Opens a request stream whose answers and close are recorded apart from the control stream. */
  RequestStream openRequestStream() {
    RequestStream request = new RequestStream();
    try {
      request.stream = connection.openRequestStream(request).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("opening a request stream failed", e);
    }
    return request;
  }

  /** A client-opened request stream: what arrived on it and how it closed. */
  static final class RequestStream implements StreamListener {
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    final CompletableFuture<Void> inputFinished = new CompletableFuture<>();
    volatile FrameStream stream;

    @Override
    public void onInputFinished(FrameStream s) {
      inputFinished.complete(null);
    }

    @Override
    public void onFrame(FrameStream s, ByteBuffer frame) {
      frames.add(CODEC.decode(frame));
    }

    @Override
    public void onClosed(FrameStream s, CloseReason reason) {
      closed.complete(reason);
    }

    /** The next frame on this stream. */
    Frame next(Duration timeout) throws InterruptedException {
      Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError(
            "no frame on the request stream within "
                + timeout.toMillis()
                + " ms; stream "
                + (closed.isDone() ? "closed: " + closed.getNow(null) : "open"));
      }
      return frame;
    }
  }

  // ---- receiving ----

  /** The next control-stream frame with {@code requestId}; others (GoAway, ...) stay queued. */
  Frame awaitReply(int requestId, Duration timeout) {
    return awaitControl(
        frame -> frame.requestId() == requestId, "a reply to request " + requestId, timeout);
  }

  /** Waits for the first control-stream frame matching {@code wanted}; returns it. */
  Frame awaitControl(Predicate<Frame> wanted, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Frame> skipped = new ArrayList<>();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        // Frames arrive before the close on the same event loop: once closed, none will follow.
        boolean over = left <= 0 || (closed.isDone() && controlFrames.isEmpty());
        Frame frame =
            over ? null : controlFrames.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
        if (frame == null && !over) {
          continue;
        }
        if (frame == null) {
          throw new AssertionError(
              "no "
                  + what
                  + " within "
                  + timeout.toMillis()
                  + " ms; other frames: "
                  + skipped
                  + "; connection "
                  + (closed.isDone() ? "closed: " + closed.getNow(null) : "open"));
        }
        if (wanted.test(frame)) {
          return frame;
        }
        skipped.add(frame);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      // Frames that did not match go back, in order, for later look-ups.
      List<Frame> rest = new ArrayList<>();
      controlFrames.drainTo(rest);
      controlFrames.addAll(skipped);
      controlFrames.addAll(rest);
    }
  }

  /** Every control frame received so far and not yet taken, without waiting. */
  List<Frame> pendingControlFrames() {
    return List.copyOf(controlFrames);
  }

  /** The EventBatches received on subscription streams so far, in arrival order. */
  List<EventBatchSummary> events() {
    return List.copyOf(events);
  }

  /** Every frame received on subscription streams so far (Subscribed, EventBatch, Error...). */
  List<Frame> subscriptionFrames() {
    return List.copyOf(subscriptionFrames);
  }

  /** Offsets of all records received on subscription streams, in arrival order. */
  List<Long> receivedOffsets() {
    List<Long> offsets = new ArrayList<>();
    for (EventBatchSummary batch : events) {
      offsets.addAll(batch.offsets());
    }
    return offsets;
  }

  /** Waits until the connection is closed and returns why. */
  CloseReason awaitClosed(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the connection was not closed within " + timeout.toMillis() + " ms");
    }
  }

  boolean isOpen() {
    return connection.isOpen() && !closed.isDone();
  }

  TransportConnection connection() {
    return connection;
  }

  @Override
  public void close() {
    try {
      connection.close((int) CloseReason.NO_ERROR, "test done");
    } finally {
      transport.close();
    }
  }
}
