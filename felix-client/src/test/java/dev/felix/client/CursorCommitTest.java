package dev.felix.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Capabilities;
import dev.felix.wire.message.CursorCommit;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.Ok;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import dev.felix.wire.message.Unsubscribe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named cursors against the scripted server: what Subscribe carries and what commit sends. */
class CursorCommitTest {
  static final StreamRef ORDERS = StreamRef.of("orders");
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir static Path dataDir;
  static FakeServer server;

  FelixClient client;
  FakeConnection connection;
  final RecordingListener listener = new RecordingListener();

  @BeforeAll
  static void start() {
    server = FakeServer.start(dataDir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private void connect(long granted) throws Exception {
    FelixOptions built = server.clientOptions().listener(listener).build();
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(built));
    connection = server.accept();
    HelloOk defaults = FakeConnection.helloOk();
    HelloOk ok =
        new HelloOk(
            defaults.version(),
            granted,
            defaults.serverId(),
            defaults.region(),
            defaults.maxFramePayloadBytes(),
            defaults.maxRecordsPerBatch(),
            defaults.maxInflightPublishBytes(),
            defaults.maxSubscriptions(),
            defaults.idleTimeoutMs());
    FakeConnection.Received<Hello> hello = connection.handshake(ok);
    assertThat(Capabilities.has(hello.message().capabilities(), Capabilities.DURABLE_CURSORS))
        .isTrue();
    client = Await.result(connecting);
  }

  private record Opened(Subscription subscription, FakeSubscription server, Subscribe request) {}

  private Opened open(SubscribeOptions options, RecordListener recordListener) throws Exception {
    CompletableFuture<Subscription> subscribing =
        CompletableFuture.supplyAsync(
            () ->
                recordListener == null
                    ? client.subscribe(ORDERS, options)
                    : client.subscribe(ORDERS, options, recordListener));
    var subscribe = connection.expect(Subscribe.class);
    FakeSubscription fake =
        connection.openSubscription(subscribe.requestId(), 7, List.of(new ShardOffset(0, 0)));
    return new Opened(Await.result(subscribing), fake, subscribe.message());
  }

  @Test
  void subscribeNamesTheCursorAndCommitSendsTheNextOffsetOfWhatWasTaken() throws Exception {
    connect(Capabilities.DURABLE_CURSORS);
    Opened opened =
        open(
            SubscribeOptions.builder().start(StartPosition.EARLIEST).cursor("reporter").build(),
            null);
    assertThat(opened.request().cursor()).isEqualTo("reporter");
    assertThat(opened.request().options()).isEqualTo(Subscribe.CURSOR);

    opened.server().events(ORDERS, 0, 0, "a", "b", "c");
    Subscription subscription = opened.subscription();
    assertThat(subscription.poll(WAIT).offset()).isZero();
    assertThat(subscription.poll(WAIT).offset()).isOne();
    Await.until("the third record buffered", () -> subscription.bufferedRecords() == 1);

    CompletableFuture<Void> committing = subscription.commitAsync();
    var commit = connection.expect(CursorCommit.class);
    // Record 2 was received but not taken: the cursor stops after record 1.
    assertThat(commit.message())
        .isEqualTo(new CursorCommit(ORDERS, "reporter", List.of(new ShardOffset(0, 2))));
    assertThat(committing).isNotDone();
    connection.send(commit.requestId(), Ok.INSTANCE);
    Await.result(committing);

    // Nothing new taken: no frame.
    subscription.commit();
    assertThat(connection.poll(Duration.ofMillis(100))).isNull();

    subscription.poll(WAIT);
    CompletableFuture<Void> refused = subscription.commitAsync();
    var second = connection.expect(CursorCommit.class);
    assertThat(second.message().offsets()).containsExactly(new ShardOffset(0, 3));
    connection.sendError(second.requestId(), ErrorCode.OFFSET_OUT_OF_RANGE, "beyond the end");
    assertThat(Await.failure(refused))
        .isInstanceOfSatisfying(
            FelixException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE));
  }

  @Test
  void autoCommitCommitsWhatTheListenerReturnedAndOnceMoreOnClose() throws Exception {
    connect(Capabilities.DURABLE_CURSORS);
    List<ReceivedRecord> heard = new CopyOnWriteArrayList<>();
    Opened opened =
        open(
            SubscribeOptions.builder()
                .start(StartPosition.EARLIEST)
                .cursor("auto")
                .autoCommit(Duration.ofMillis(50))
                .build(),
            heard::add);
    opened.server().events(ORDERS, 0, 0, "a", "b");
    Await.until("two records heard", () -> heard.size() == 2);

    var periodic = connection.expect(CursorCommit.class);
    assertThat(periodic.message().offsets()).containsExactly(new ShardOffset(0, 2));
    connection.send(periodic.requestId(), Ok.INSTANCE);

    opened.server().events(ORDERS, 0, 2, "c");
    Await.until("the third record heard", () -> heard.size() == 3);
    // A periodic commit, the final one or both carry offset 3; close sends the final one before its
    // Unsubscribe (answered by the fake on its own) and waits for it.
    CompletableFuture<Void> closing = CompletableFuture.runAsync(opened.subscription()::close);
    int commits = 0;
    while (true) {
      var frame = connection.poll(WAIT);
      assertThat(frame).as("a CursorCommit or the Unsubscribe").isNotNull();
      if (frame.message() instanceof Unsubscribe) {
        break;
      }
      assertThat(frame.message())
          .isEqualTo(new CursorCommit(ORDERS, "auto", List.of(new ShardOffset(0, 3))));
      connection.send(frame.requestId(), Ok.INSTANCE);
      commits++;
    }
    assertThat(commits).isPositive();
    Await.result(closing);
    listener.assertNoErrors();
  }

  @Test
  void aBrokerWithoutTheCapabilityRefusesLocallyAndPlainSubscriptionsCannotCommit()
      throws Exception {
    connect(0);
    Opened plain = open(SubscribeOptions.earliest(), null);
    assertThat(plain.request().cursor()).isNull();
    assertThatThrownBy(plain.subscription()::commit).isInstanceOf(IllegalStateException.class);

    Opened named =
        open(
            SubscribeOptions.builder().start(StartPosition.EARLIEST).cursor("reporter").build(),
            null);
    named.server().events(ORDERS, 0, 0, "a");
    named.subscription().poll(WAIT);
    assertThatThrownBy(named.subscription()::commit)
        .isInstanceOf(ProtocolException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.UNSUPPORTED_FEATURE);
  }

  @Test
  void optionsCheckTheCursorNameAndTheInterval() {
    assertThatThrownBy(() -> SubscribeOptions.builder().cursor("a b").build())
        .hasMessageContaining("cursor");
    assertThatThrownBy(() -> SubscribeOptions.builder().autoCommit(Duration.ofSeconds(1)).build())
        .hasMessageContaining("needs a cursor");
    assertThatThrownBy(
            () -> SubscribeOptions.builder().cursor("c").autoCommit(Duration.ZERO).build())
        .hasMessageContaining("positive");
    SubscribeOptions options =
        SubscribeOptions.builder().cursor("c").autoCommit(Duration.ofSeconds(1)).build();
    assertThat(options.cursor()).contains("c");
    assertThat(options.autoCommit()).contains(Duration.ofSeconds(1));
    assertThat(SubscribeOptions.latest().cursor()).isEmpty();
  }
}
