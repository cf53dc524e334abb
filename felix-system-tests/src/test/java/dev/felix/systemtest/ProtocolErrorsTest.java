package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.client.FelixClient;
import dev.felix.client.PublishReceipt;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.transport.CloseReason;
import dev.felix.wire.Bytes;
import dev.felix.wire.Frame;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.MessageType;
import dev.felix.wire.ProtocolVersion;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.Ping;
import dev.felix.wire.message.Pong;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import dev.felix.wire.message.Subscribed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input gets a clear answer (docs/protocol.md sections 1.4-1.6): a scripted raw peer sends
 * malformed, oversized and out-of-order frames and the server answers each with its typed error,
 * closing the connection only where the protocol requires it, while a well-behaved client on
 * another connection carries on. Limits are lowered so they are cheap to hit.
 */
class ProtocolErrorsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int MAX_RECORD_BYTES = 65_536;

  @RegisterExtension
  static final EmbeddedFelix FELIX =
      EmbeddedFelix.with(
          "FELIX_CONNECTION_MAX_SUBSCRIPTIONS",
          "3",
          "FELIX_RECORD_MAX_BYTES",
          String.valueOf(MAX_RECORD_BYTES));

  // ---- header errors: the stream cannot be resynchronised ----

  @Test
  void badMagicOnTheControlStreamClosesThatConnectionOnly() throws Exception {
    Bystander bystander = Bystander.start(FELIX);
    try (RawConnection raw = FELIX.closeAfterTest(RawConnection.connect(FELIX))) {
      raw.hello();
      raw.sendRaw(RawConnection.frame(0x4659, 1, MessageType.PING.code(), 8, 9, new byte[8]));

      assertErrorThenClosed(raw, 0, ErrorCode.MALFORMED_FRAME);
    }
    bystander.assertStillServed();
  }

  @Test
  void headerAnnouncingMoreThanTheMaximumFrameIsFrameTooLarge() throws Exception {
    Bystander bystander = Bystander.start(FELIX);
    try (RawConnection raw = FELIX.closeAfterTest(RawConnection.connect(FELIX))) {
      int tooLarge = raw.hello().maxFramePayloadBytes() + 1;
      // Only the header is sent: the server must refuse before it waits for the payload.
      raw.sendRaw(
          RawConnection.frame(
              FrameHeader.MAGIC,
              ProtocolVersion.CURRENT,
              MessageType.PUBLISH_BATCH.code(),
              tooLarge,
              10,
              new byte[0]));

      assertErrorThenClosed(raw, 0, ErrorCode.FRAME_TOO_LARGE);
    }
    bystander.assertStillServed();
  }

  @Test
  void headerErrorOnARequestStreamEndsThatStreamButNotTheConnection() throws Exception {
    try (RawConnection raw = FELIX.closeAfterTest(RawConnection.connect(FELIX))) {
      raw.hello();
      RawConnection.RequestStream request = raw.openRequestStream();
      request.stream.write(
          RawConnection.frame(
              FrameHeader.MAGIC,
              ProtocolVersion.CURRENT,
              MessageType.CACHE_GET.code(),
              Integer.MAX_VALUE,
              11,
              new byte[0]));

      assertError(request.next(WAIT), 0, ErrorCode.FRAME_TOO_LARGE);
      // The server ends its side of that stream after the Error (FIN) and stops reading it.
      request.inputFinished.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

      assertPingAnswered(raw, 12);
    }
  }

  // ---- payload errors: answered, the connection goes on ----

  @Test
  void malformedPayloadIsAnsweredWithErrorAndItsRequestIdAndTheConnectionKeepsWorking() {
    try (RawConnection raw = FELIX.closeAfterTest(RawConnection.connect(FELIX))) {
      raw.hello();
      double before = FELIX.metrics().errors("MALFORMED_FRAME");

      // A Ping needs an 8-byte nonce; this one has 3 bytes.
      raw.sendRaw(RawConnection.frame(MessageType.PING, 77, new byte[] {1, 2, 3}));
      assertError(raw.awaitReply(77, WAIT), 77, ErrorCode.MALFORMED_FRAME);

      // A PublishBatch whose record run is cut short.
      byte[] batch = FrameCodec.encodeToArray(79, publishBatch(EmbeddedFelix.uniqueStream("raw")));
      byte[] cut = Arrays.copyOf(batch, batch.length - 3);
      raw.sendRaw(
          RawConnection.frame(
              MessageType.PUBLISH_BATCH,
              79,
              Arrays.copyOfRange(cut, FrameHeader.LENGTH, cut.length)));
      assertError(raw.awaitReply(79, WAIT), 79, ErrorCode.MALFORMED_FRAME);

      assertPingAnswered(raw, 78);
      String stream = EmbeddedFelix.uniqueStream("raw");
      raw.send(80, publishBatch(stream));
      Frame ack = raw.awaitReply(80, WAIT);
      assertThat(ack.message()).isInstanceOf(PublishAck.class);
      assertThat(((PublishAck) ack.message()).ranges().get(0).baseOffset()).isZero();
      assertThat(raw.isOpen()).isTrue();
      assertThat(FELIX.metrics().errors("MALFORMED_FRAME")).isGreaterThanOrEqualTo(before + 2);
    }
  }

  // ---- handshake errors ----

  @Test
  void publishBeforeHelloIsUnexpectedMessage() {
    try (RawConnection raw = FELIX.closeAfterTest(RawConnection.connect(FELIX))) {
      raw.send(5, publishBatch(EmbeddedFelix.uniqueStream("early")));

      assertErrorThenClosed(raw, 5, ErrorCode.UNEXPECTED_MESSAGE);
    }
  }

  @Test
  void helloWithOnlyLaterVersionsIsUnsupportedVersion() {
    try (RawConnection raw = FELIX.closeAfterTest(RawConnection.connect(FELIX))) {
      raw.send(6, new Hello(2, 3, 0, "from-the-future", Bytes.EMPTY));

      assertErrorThenClosed(raw, 6, ErrorCode.UNSUPPORTED_VERSION);
    }
  }

  // ---- limits ----

  @Test
  void oversizedRecordIsMessageTooLargeAndTheConnectionContinues() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("big");
    FelixClient client = FELIX.connect();
    double before = FELIX.metrics().errors("MESSAGE_TOO_LARGE");
    byte[] big = new byte[MAX_RECORD_BYTES + 1];

    assertThatThrownBy(() -> client.publish(stream, big))
        .isInstanceOf(LimitException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
    CompletableFuture<PublishReceipt> async = client.publishAsync(stream, big);
    assertThatThrownBy(() -> async.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(LimitException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);

    PublishReceipt next = client.publish(stream, Records.payloadBytes(0));
    assertThat(next.offset()).as("nothing of the refused records was appended").isZero();
    try (Subscription subscription = client.subscribe(stream, SubscribeOptions.earliest())) {
      ReceivedRecord record = subscription.poll(WAIT);
      Records.assertExactly(List.of(record), 0, 1);
    }
    assertThat(FELIX.metrics().errors("MESSAGE_TOO_LARGE")).isGreaterThanOrEqualTo(before + 2);
  }

  @Test
  void aFourthSubscriptionOnOneConnectionIsLimitExceeded() {
    String stream = EmbeddedFelix.uniqueStream("limit");
    try (RawConnection raw = FELIX.closeAfterTest(RawConnection.connect(FELIX))) {
      assertThat(raw.hello().maxSubscriptions()).isEqualTo(3);
      for (int id = 20; id < 23; id++) {
        raw.send(id, Subscribe.of(StreamRef.of(stream), StartPosition.LATEST));
      }
      Await.until(
          () -> "three Subscribed frames, got " + raw.subscriptionFrames(),
          () ->
              raw.subscriptionFrames().stream()
                      .filter(f -> f.message() instanceof Subscribed)
                      .count()
                  == 3,
          WAIT);

      raw.send(23, Subscribe.of(StreamRef.of(stream), StartPosition.LATEST));
      assertError(raw.awaitReply(23, WAIT), 23, ErrorCode.LIMIT_EXCEEDED);
      assertPingAnswered(raw, 24);
    }
  }

  @Test
  void clientSeesLimitExceededForAFourthSubscriptionAndCanSubscribeAfterClosingOne() {
    String stream = EmbeddedFelix.uniqueStream("client-limit");
    FelixClient client = FELIX.connect();
    Subscription first = client.subscribe(stream, SubscribeOptions.latest());
    client.subscribe(stream, SubscribeOptions.latest());
    client.subscribe(stream, SubscribeOptions.latest());

    assertThatThrownBy(() -> client.subscribe(stream, SubscribeOptions.latest()))
        .isInstanceOf(LimitException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.LIMIT_EXCEEDED);

    first.close();
    assertThat(client.subscribe(stream, SubscribeOptions.latest()).isActive()).isTrue();
  }

  // ---- metrics ----

  @Test
  void metricsExposeTrafficSubscriptionsLatencyConnectionsAndErrorsByCode() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("metrics");
    FelixClient client = FELIX.connect();
    Subscription subscription = client.subscribe(stream, SubscribeOptions.earliest());
    Records.publish(client, stream, 0, 100);
    for (int i = 0; i < 100; i++) {
      assertThat(subscription.poll(WAIT)).isNotNull();
    }
    assertThatThrownBy(() -> client.publish(stream, new byte[MAX_RECORD_BYTES + 1]))
        .isInstanceOf(LimitException.class);
    try (RawConnection raw = FELIX.closeAfterTest(RawConnection.connect(FELIX))) {
      raw.hello();
      raw.sendRaw(RawConnection.frame(MessageType.PING, 90, new byte[1]));
      raw.awaitReply(90, WAIT);

      Metrics metrics = FELIX.metrics();
      assertThat(metrics.value("felix_publish_records_total")).isGreaterThanOrEqualTo(100);
      assertThat(metrics.value("felix_subscriptions_active")).isGreaterThanOrEqualTo(1);
      assertThat(metrics.value("felix_connections_active")).isGreaterThanOrEqualTo(2);
      assertThat(metrics.value("felix_publish_to_deliver_seconds_count")).isGreaterThanOrEqualTo(1);
      assertThat(metrics.hasSampleStartingWith("felix_publish_to_deliver_seconds_bucket{le="))
          .isTrue();
      assertThat(metrics.errors("MESSAGE_TOO_LARGE")).isGreaterThanOrEqualTo(1);
      assertThat(metrics.errors("MALFORMED_FRAME")).isGreaterThanOrEqualTo(1);
    }
  }

  // ---- helpers ----

  private static PublishBatch publishBatch(String stream) {
    return new PublishBatch(
        PublishTarget.of(StreamRef.of(stream), AckMode.LEADER),
        RecordBatch.of(List.of(RecordData.of(Records.payload(0)))));
  }

  private static void assertError(Frame frame, int requestId, ErrorCode code) {
    assertThat(frame.requestId()).as("request id of %s", frame).isEqualTo(requestId);
    assertThat(frame.message()).as("answer").isInstanceOf(ErrorReply.class);
    assertThat(((ErrorReply) frame.message()).errorCode())
        .as("error code of %s", frame)
        .isEqualTo(code);
  }

  /**
   * The server answered with an Error carrying {@code code} and {@code requestId} (0 for a bad
   * header, which has no trustworthy id), then closed the connection (protocol.md 1.4 and 1.6).
   */
  private static void assertErrorThenClosed(RawConnection raw, int requestId, ErrorCode code) {
    assertError(raw.awaitReply(requestId, WAIT), requestId, code);
    CloseReason reason = raw.awaitClosed(WAIT);
    assertThat(reason.origin())
        .as("the server closed the connection: %s", reason)
        .isIn(CloseReason.Origin.PEER, CloseReason.Origin.TRANSPORT);
  }

  private static void assertPingAnswered(RawConnection raw, int requestId) {
    raw.send(requestId, new Ping(requestId * 1000L));
    Frame pong = raw.awaitReply(requestId, WAIT);
    assertThat(pong.message()).isEqualTo(new Pong(requestId * 1000L));
  }

  /** A client on its own connection that publishes and receives around a misbehaving peer. */
  private record Bystander(FelixClient client, Subscription subscription, String stream) {
    static Bystander start(EmbeddedFelix felix) throws InterruptedException {
      String stream = EmbeddedFelix.uniqueStream("bystander");
      FelixClient client = felix.connect();
      Subscription subscription = client.subscribe(stream, SubscribeOptions.earliest());
      Records.publish(client, stream, 0, 10);
      return new Bystander(client, subscription, stream);
    }

    void assertStillServed() throws InterruptedException {
      Records.publish(client, stream, 10, 10);
      List<ReceivedRecord> records = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ReceivedRecord record = subscription.poll(WAIT);
        assertThat(record).as("bystander record %d", i).isNotNull();
        records.add(record);
      }
      Records.assertExactly(records, 0, 20);
    }
  }
}
