package dev.felix.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.NotFoundException;
import dev.felix.error.UnavailableException;
import dev.felix.wire.Capabilities;
import dev.felix.wire.message.GoAway;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection loss, GoAway and server-side subscription ends, with resume from the last offset. */
class ReconnectTest {
  static final StreamRef ORDERS = StreamRef.of("orders");
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir static Path dataDir;
  static FakeServer server;
  static FakeServer other;

  FelixClient client;
  FakeConnection connection;
  final RecordingListener listener = new RecordingListener();

  @BeforeAll
  static void start() {
    server = FakeServer.start(dataDir);
    other = FakeServer.start(dataDir);
  }

  @AfterAll
  static void stop() {
    server.close();
    other.close();
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private void connect(FelixOptions.Builder options) throws Exception {
    FelixOptions built = options.listener(listener).build();
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(built));
    connection = server.acceptAndHandshake();
    client = Await.result(connecting);
  }

  /** Connects to a broker that grants idempotent publishing (producer ids and sequences). */
  private void connectIdempotent() throws Exception {
    FelixOptions built = server.clientOptions().listener(listener).build();
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(built));
    connection = server.accept();
    connection.handshake(idempotentHelloOk());
    client = Await.result(connecting);
  }

  /** Opens a subscription over every shard; the broker names shards 0 and 1. */
  private FakeSubscription subscribeTwoShards(
      CompletableFuture<Subscription> subscribing, long start0, long start1) throws Exception {
    var subscribe = connection.expect(Subscribe.class);
    FakeSubscription fake =
        connection.openSubscription(
            subscribe.requestId(),
            3,
            List.of(new ShardOffset(0, start0), new ShardOffset(1, start1)));
    Await.result(subscribing);
    return fake;
  }

  /** The Subscribes a resume sends, by shard. */
  private Map<Integer, FakeConnection.Received<Subscribe>> resumes(FakeConnection c, int count)
      throws Exception {
    Map<Integer, FakeConnection.Received<Subscribe>> byShard = new HashMap<>();
    for (int i = 0; i < count; i++) {
      var subscribe = c.expect(Subscribe.class);
      byShard.put(subscribe.message().shard(), subscribe);
    }
    return byShard;
  }

  @Test
  void lostConnectionReconnectsAndResumesEachShardAfterItsLastOffset() throws Exception {
    // The client learns of the server's close after QUIC's draining period (three probe
    // timeouts), which can take seconds on a cold JVM: requests must outlive it here.
    connect(server.clientOptions().requestTimeout(Duration.ofSeconds(20)));
    CompletableFuture<Subscription> subscribing =
        CompletableFuture.supplyAsync(() -> client.subscribe(ORDERS, SubscribeOptions.latest()));
    FakeSubscription first = subscribeTwoShards(subscribing, 10, 20);
    Subscription subscription = Await.result(subscribing);
    first.events(ORDERS, 0, 10, "a", "b", "c");
    first.events(ORDERS, 1, 20, "x", "y");
    for (int i = 0; i < 5; i++) {
      assertThat(subscription.poll(WAIT)).isNotNull();
    }
    CompletableFuture<PublishReceipt> inFlight = client.publishAsync("orders", new byte[] {1});
    connection.expect(PublishBatch.class);

    connection.kill();

    Throwable lost = Await.failure(inFlight);
    assertThat(lost).isInstanceOf(UnavailableException.class);
    assertThat(((FelixException) lost).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    RecordingListener.Disconnected disconnected =
        listener.await(RecordingListener.Disconnected.class);
    assertThat(disconnected.reconnecting()).isTrue();

    FakeConnection second = server.acceptAndHandshake();
    var resumes = resumes(second, 2);
    Subscribe shard0 = resumes.get(0).message();
    Subscribe shard1 = resumes.get(1).message();
    assertThat(shard0.stream()).isEqualTo(ORDERS);
    assertThat(shard0.start()).isEqualTo(StartPosition.offset(13));
    assertThat(shard1.start()).isEqualTo(StartPosition.offset(22));
    listener.await(RecordingListener.Reconnected.class);

    // Shard 1 resumes further on than asked: the records in between are gone.
    FakeSubscription resumed0 =
        second.openSubscription(resumes.get(0).requestId(), 8, List.of(new ShardOffset(0, 13)));
    FakeSubscription resumed1 =
        second.openSubscription(resumes.get(1).requestId(), 9, List.of(new ShardOffset(1, 30)));
    resumed0.events(ORDERS, 0, 12, "c", "d");
    resumed1.events(ORDERS, 1, 30, "z");
    ReceivedRecord d = subscription.poll(WAIT);
    ReceivedRecord z = subscription.poll(WAIT);
    assertThat(List.of(d.shard() + ":" + d.offset(), z.shard() + ":" + z.offset()))
        .containsExactlyInAnyOrder("0:13", "1:30");
    assertThat(subscription.poll(Duration.ofMillis(50))).isNull();
    RecordingListener.Gap gap = listener.await(RecordingListener.Gap.class);
    assertThat(gap.shard()).isEqualTo(1);
    assertThat(gap.expected()).isEqualTo(22);
    assertThat(gap.resumed()).isEqualTo(30);
    assertThat(subscription.nextOffsets()).containsEntry(0, 14L).containsEntry(1, 31L);

    // Publishing works on the new connection.
    CompletableFuture<PublishReceipt> again = client.publishAsync("orders", new byte[] {2});
    var publish = second.expect(PublishBatch.class);
    second.send(publish.requestId(), PublishAck.appended(0, 14, 1));
    assertThat(Await.result(again).offset()).isEqualTo(14);
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void publishesQueuedWhileDisconnectedAreSentAfterTheReconnect() throws Exception {
    connect(server.clientOptions());
    connection.kill();
    listener.await(RecordingListener.Disconnected.class);
    CompletableFuture<PublishReceipt> queued = client.publishAsync("orders", new byte[] {7});

    FakeConnection second = server.acceptAndHandshake();
    var publish = second.expect(PublishBatch.class);
    second.send(publish.requestId(), PublishAck.appended(0, 5, 1));
    assertThat(Await.result(queued).offset()).isEqualTo(5);
  }

  @Test
  void aPublishAfterOneThatTimedOutWaitingForAConnectionIsSentOnTheNextOne() throws Exception {
    // The first publish finds no connection and times out in the queue; its lane, left waiting
    // for room with nothing in it, must still take the next publish when a connection is ready.
    connect(server.clientOptions().requestTimeout(Duration.ofMillis(500)));
    connection.kill();
    listener.await(RecordingListener.Disconnected.class);
    CompletableFuture<PublishReceipt> expired = client.publishAsync("orders", new byte[] {1});
    assertThat(((FelixException) Await.failure(expired)).code()).isEqualTo(ErrorCode.TIMEOUT);

    FakeConnection second = server.acceptAndHandshake();
    listener.await(RecordingListener.Reconnected.class);
    CompletableFuture<PublishReceipt> next = client.publishAsync("orders", new byte[] {2});
    var publish = second.expect(PublishBatch.class);
    second.send(publish.requestId(), PublishAck.appended(0, 6, 1));
    assertThat(Await.result(next).offset()).isEqualTo(6);
  }

  @Test
  void goAwayDrainsInFlightRequestsThenFollowsTheRedirect() throws Exception {
    connect(server.clientOptions());
    CompletableFuture<PublishReceipt> inFlight = client.publishAsync("orders", new byte[] {1});
    var publish = connection.expect(PublishBatch.class);

    connection.goAway(GoAway.Reason.REDIRECT, 5000, other.address());
    Await.until("the client drains", () -> client.state() == ConnectionState.DRAINING);
    CompletableFuture<PublishReceipt> afterGoAway = client.publishAsync("orders", new byte[] {2});
    assertThat(connection.poll(Duration.ofMillis(100))).as("no new request after GoAway").isNull();
    // The answer to the request sent before the GoAway still counts.
    connection.send(publish.requestId(), PublishAck.appended(0, 1, 1));
    assertThat(Await.result(inFlight).offset()).isEqualTo(1);
    Await.result(connection.closed);

    FakeConnection redirected = other.acceptAndHandshake();
    var next = redirected.expect(PublishBatch.class);
    redirected.send(next.requestId(), PublishAck.appended(0, 2, 1));
    assertThat(Await.result(afterGoAway).offset()).isEqualTo(2);
    assertThat(client.serverInfo().address()).isEqualTo(other.address());
  }

  @Test
  void publishRefusedByADrainingBrokerIsSentAgainOnTheNextConnection() throws Exception {
    connectIdempotent();
    CompletableFuture<PublishReceipt> inFlight = client.publishAsync("orders", new byte[] {1});
    var refused = connection.expect(PublishBatch.class);

    // A shutting-down broker: GoAway, then UNAVAILABLE for what it did not append.
    connection.goAway(GoAway.Reason.SHUTDOWN, 5000, "");
    connection.sendError(refused.requestId(), ErrorCode.UNAVAILABLE, "shutting down");
    Await.result(connection.closed);

    FakeConnection next = server.accept();
    next.handshake(idempotentHelloOk());
    var again = next.expect(PublishBatch.class);
    assertThat(again.message().target().producerId())
        .as("the same producer and sequence, so a broker that had appended it drops the copy")
        .isEqualTo(refused.message().target().producerId())
        .isNotZero();
    assertThat(again.message().target().sequence())
        .isEqualTo(refused.message().target().sequence());
    next.send(again.requestId(), PublishAck.appended(0, 7, 1));
    assertThat(Await.result(inFlight).offset()).isEqualTo(7);
  }

  @Test
  void publishRefusedUnavailableWithoutAGoAwayFailsInsteadOfLoopingOnTheSameConnection()
      throws Exception {
    connectIdempotent();
    CompletableFuture<PublishReceipt> refused = client.publishAsync("orders", new byte[] {1});
    var publish = connection.expect(PublishBatch.class);

    connection.sendError(publish.requestId(), ErrorCode.UNAVAILABLE, "the log is closed");

    Throwable failure = Await.failure(refused);
    assertThat(failure).isInstanceOf(UnavailableException.class);
    assertThat(connection.poll(Duration.ofMillis(200))).as("not sent again").isNull();
  }

  private static HelloOk idempotentHelloOk() {
    HelloOk ok = FakeConnection.helloOk();
    return new HelloOk(
        ok.version(),
        Capabilities.IDEMPOTENT_PRODUCER,
        ok.serverId(),
        ok.region(),
        ok.maxFramePayloadBytes(),
        ok.maxRecordsPerBatch(),
        ok.maxInflightPublishBytes(),
        ok.maxSubscriptions(),
        ok.idleTimeoutMs());
  }

  @Test
  void unavailableEndOfASubscriptionIsResumedOnTheSameConnection() throws Exception {
    connect(server.clientOptions());
    CompletableFuture<Subscription> subscribing =
        CompletableFuture.supplyAsync(() -> client.subscribe(ORDERS, SubscribeOptions.earliest()));
    var subscribe = connection.expect(Subscribe.class);
    FakeSubscription fake =
        connection.openSubscription(subscribe.requestId(), 4, List.of(new ShardOffset(0, 0)));
    Subscription subscription = Await.result(subscribing);
    fake.events(ORDERS, 0, 0, "a");
    assertThat(subscription.poll(WAIT).offset()).isZero();

    fake.endWith(ErrorCode.UNAVAILABLE, "moving the shard");
    var resume = connection.expect(Subscribe.class);
    assertThat(resume.message().shard()).isZero();
    assertThat(resume.message().start()).isEqualTo(StartPosition.offset(1));
    FakeSubscription again =
        connection.openSubscription(resume.requestId(), 5, List.of(new ShardOffset(0, 1)));
    again.events(ORDERS, 0, 1, "b");
    assertThat(subscription.poll(WAIT).payloadAsString()).isEqualTo("b");
    assertThat(subscription.isActive()).isTrue();
    assertThat(listener.all(RecordingListener.Ended.class)).isEmpty();
  }

  @Test
  void resumeRefusedWithoutFallbackEndsTheSubscription() throws Exception {
    connect(server.clientOptions());
    CompletableFuture<Subscription> subscribing =
        CompletableFuture.supplyAsync(() -> client.subscribe(ORDERS, SubscribeOptions.latest()));
    var subscribe = connection.expect(Subscribe.class);
    connection.openSubscription(subscribe.requestId(), 4, List.of(new ShardOffset(0, 50)));
    Subscription subscription = Await.result(subscribing);
    connection.kill();

    FakeConnection second = server.acceptAndHandshake();
    var resume = second.expect(Subscribe.class);
    assertThat(resume.message().start()).isEqualTo(StartPosition.offset(50));
    second.sendError(resume.requestId(), ErrorCode.OFFSET_OUT_OF_RANGE, "offset 50 is gone");

    RecordingListener.Ended ended = listener.await(RecordingListener.Ended.class);
    assertThat(ended.cause()).isInstanceOf(NotFoundException.class);
    assertThat(ended.cause().code()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE);
    assertThat(subscription.isActive()).isFalse();
  }

  @Test
  void resumeFallsBackToEarliestWhenAllowed() throws Exception {
    connect(server.clientOptions());
    SubscribeOptions options = SubscribeOptions.builder().fromEarliestIfOutOfRange(true).build();
    CompletableFuture<Subscription> subscribing =
        CompletableFuture.supplyAsync(() -> client.subscribe(ORDERS, options));
    var subscribe = connection.expect(Subscribe.class);
    assertThat(subscribe.message().options()).isEqualTo(Subscribe.FROM_EARLIEST_IF_OUT_OF_RANGE);
    connection.openSubscription(subscribe.requestId(), 4, List.of(new ShardOffset(0, 50)));
    Subscription subscription = Await.result(subscribing);
    connection.kill();

    // The broker restarted with an empty log: offset 50 lies beyond its end.
    FakeConnection second = server.acceptAndHandshake();
    var resume = second.expect(Subscribe.class);
    second.sendError(resume.requestId(), ErrorCode.OFFSET_OUT_OF_RANGE, "beyond the end");
    var fallback = second.expect(Subscribe.class);
    assertThat(fallback.message().start()).isEqualTo(StartPosition.EARLIEST);
    FakeSubscription fake =
        second.openSubscription(fallback.requestId(), 6, List.of(new ShardOffset(0, 0)));
    fake.events(ORDERS, 0, 0, "fresh");

    assertThat(subscription.poll(WAIT).payloadAsString()).isEqualTo("fresh");
    RecordingListener.Gap gap = listener.await(RecordingListener.Gap.class);
    assertThat(gap.expected()).isEqualTo(50);
    assertThat(gap.resumed()).isZero();
  }

  @Test
  void withoutReconnectALossClosesTheClient() throws Exception {
    connect(server.clientOptions().reconnect(ReconnectPolicy.DISABLED));
    connection.kill();
    RecordingListener.Closed closed = listener.await(RecordingListener.Closed.class);
    assertThat(closed.cause()).isInstanceOf(UnavailableException.class);
    assertThat(listener.first(RecordingListener.Disconnected.class).reconnecting()).isFalse();
    Await.until("closed", () -> client.state() == ConnectionState.CLOSED);
    assertThatThrownBy(() -> client.publish("orders", new byte[] {1}))
        .isInstanceOf(UnavailableException.class);
  }

  @Test
  void deadBrokerIsDetectedByKeepAliveAndReconnectGivesUpAfterMaxAttempts() throws Exception {
    FakeServer doomed = FakeServer.start(dataDir);
    FelixOptions options =
        doomed
            .clientOptions()
            .requestTimeout(Duration.ofMillis(500))
            .connectTimeout(Duration.ofMillis(300))
            .reconnect(
                ReconnectPolicy.DEFAULT
                    .withInitialBackoff(Duration.ofMillis(10))
                    .withMaxBackoff(Duration.ofMillis(20))
                    .withMaxAttempts(2))
            .listener(listener)
            .build();
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(options));
    // An idle timeout of 300 ms: the client pings every 100 ms.
    doomed.accept().handshake(new HelloOk(1, 0, "doomed", "r", 8 << 20, 10_000, 1 << 20, 10, 300));
    client = Await.result(connecting);
    // The broker vanishes without a word (its socket closes with it): only a missing Pong tells.
    doomed.close();

    RecordingListener.Closed closed = listener.await(RecordingListener.Closed.class);
    assertThat(closed.cause()).isNotNull();
    assertThat(listener.first(RecordingListener.Disconnected.class).reconnecting()).isTrue();
    assertThat(listener.all(RecordingListener.ReconnectFailed.class)).hasSize(2);
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
  }
}
