package dev.felix.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.transport.CloseReason;
import dev.felix.transport.ConnectionListener;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.transport.StreamRole;
import dev.felix.transport.TransportConnection;
import dev.felix.wire.Frame;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.MessageType;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.GoAway;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.Ok;
import dev.felix.wire.message.Ping;
import dev.felix.wire.message.Pong;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.Subscribed;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server side of one client connection, scripted by a test: frames from the client's control
 * stream are decoded and queued for {@link #expect}; the test answers with {@link #send} and opens
 * subscription streams with {@link #openSubscription}. Pings are answered automatically (the
 * client's keep-alive must not disturb a script), and so are Unsubscribes unless the test turns
 * that off.
 */
final class FakeConnection implements ConnectionListener {
  static final FrameCodec CODEC = new FrameCodec(WireLimits.DEFAULTS);

  /** One frame the client sent: its request id and message. */
  record Received<T extends Message>(int requestId, T message) {}

  final TransportConnection connection;
  final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private volatile FrameStream control;
  volatile boolean autoAnswerUnsubscribe = true;

  /** When set, LEADER publishes are acknowledged at once on shard 0 with dense offsets. */
  volatile boolean autoAck;

  private final AtomicLong nextOffset = new AtomicLong();

  FakeConnection(TransportConnection connection) {
    this.connection = connection;
  }

  /** The default HelloOk: generous limits, no idle timeout (so no keep-alive pings). */
  static HelloOk helloOk() {
    return new HelloOk(1, 0, "fake-1", "test-region", 8 << 20, 10_000, 64 << 20, 1000, 0);
  }

  @Override
  public StreamListener onStreamOpened(FrameStream stream) {
    if (stream.role() == StreamRole.CONTROL) {
      control = stream;
      return this::onControlFrame;
    }
    return (s, frame) -> {};
  }

  @Override
  public void onClosed(TransportConnection c, CloseReason reason) {
    closed.complete(reason);
  }

  private void onControlFrame(FrameStream stream, ByteBuffer bytes) {
    Frame frame = CODEC.decode(bytes);
    if (frame.message() instanceof Ping ping) {
      stream.write(FrameCodec.encode(frame.requestId(), new Pong(ping.nonce())));
      return;
    }
    if (autoAck
        && frame.message() instanceof PublishBatch batch
        && batch.target().ackMode() == AckMode.LEADER) {
      int count = batch.records().count();
      long base = nextOffset.getAndAdd(count);
      stream.write(FrameCodec.encode(frame.requestId(), PublishAck.appended(0, base, count)));
      return;
    }
    if (frame.type() == MessageType.UNSUBSCRIBE && autoAnswerUnsubscribe) {
      stream.write(FrameCodec.encode(frame.requestId(), Ok.INSTANCE));
    }
    frames.add(frame);
  }

  /** Waits for the client's Hello and answers the default HelloOk. */
  Received<Hello> handshake() throws InterruptedException {
    return handshake(helloOk());
  }

  Received<Hello> handshake(HelloOk ok) throws InterruptedException {
    Received<Hello> hello = expect(Hello.class);
    send(hello.requestId(), ok);
    return hello;
  }

  /** The next control frame, which must be a {@code type}. */
  <T extends Message> Received<T> expect(Class<T> type) throws InterruptedException {
    Frame frame = frames.poll(FakeServer.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(frame).as("a %s from the client", type.getSimpleName()).isNotNull();
    assertThat(frame.message()).isInstanceOf(type);
    return new Received<>(frame.requestId(), type.cast(frame.message()));
  }

  /** The next control frame if one arrives within {@code wait}, else null. */
  Frame poll(Duration wait) throws InterruptedException {
    return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  void send(int requestId, Message message) {
    assertThat(control.write(FrameCodec.encode(requestId, message))).isTrue();
  }

  void sendError(int requestId, ErrorCode code, String text) {
    send(requestId, new ErrorReply(code, text));
  }

  void goAway(GoAway.Reason reason, int drainTimeoutMs, String redirectTo) {
    send(0, new GoAway(reason, drainTimeoutMs, redirectTo, "test go away"));
  }

  /**
   * Opens the subscription stream for a Subscribe and writes Subscribed first on it (protocol
   * section 1.3).
   */
  FakeSubscription openSubscription(
      int requestId, int subscriptionId, List<ShardOffset> startOffsets) throws Exception {
    FrameStream stream =
        connection
            .openSubscriptionStream(
                new StreamListener() {
                  @Override
                  public void onFrame(FrameStream s, ByteBuffer frame) {}
                })
            .get(FakeServer.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    FakeSubscription subscription = new FakeSubscription(stream, requestId, subscriptionId);
    subscription.write(requestId, new Subscribed(subscriptionId, startOffsets));
    return subscription;
  }

  /** Drops the connection the way a crashing broker would. */
  void kill() {
    connection.close(ErrorCode.UNAVAILABLE.code(), "fake broker killed");
  }

  /** Closes after the queued frames reached the client (Error then close). */
  void closeGracefully() throws Exception {
    connection.closeGracefully(Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
  }
}
