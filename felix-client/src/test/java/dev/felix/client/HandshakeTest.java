package dev.felix.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.UnavailableException;
import dev.felix.wire.Capabilities;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.Subscribe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handshake over real QUIC against the scripted server: success, refusal, unreachable. */
class HandshakeTest {
  @TempDir static Path dataDir;
  static FakeServer server;

  @BeforeAll
  static void start() {
    server = FakeServer.start(dataDir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void helloCarriesVersionNameAndTokenAndHelloOkIsKept() throws Exception {
    RecordingListener listener = new RecordingListener();
    FelixOptions options =
        server
            .clientOptions()
            .authToken("secret-token".getBytes(StandardCharsets.UTF_8))
            .listener(listener)
            .build();
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(options));
    FakeConnection connection = server.accept();
    FakeConnection.Received<Hello> hello =
        connection.handshake(
            new HelloOk(1, 0, "broker-7", "eu-west", 1 << 20, 500, 4 << 20, 16, 30_000));

    try (FelixClient client = Await.result(connecting)) {
      assertThat(hello.requestId()).isNotZero();
      assertThat(hello.message().minVersion()).isEqualTo(1);
      assertThat(hello.message().maxVersion()).isEqualTo(1);
      // The client asks for the optional features it uses: idempotent publishing, the cache,
      // consumer groups and named cursors.
      assertThat(hello.message().capabilities())
          .isEqualTo(
              Capabilities.IDEMPOTENT_PRODUCER
                  | Capabilities.CACHE
                  | Capabilities.CACHE_MULTI
                  | Capabilities.CACHE_WATCH
                  | Capabilities.QUEUES
                  | Capabilities.DURABLE_CURSORS);
      assertThat(hello.message().clientName()).isEqualTo("test-client");
      assertThat(hello.message().token().toUtf8()).isEqualTo("secret-token");

      ServerInfo info = client.serverInfo();
      assertThat(info.serverId()).isEqualTo("broker-7");
      assertThat(info.region()).isEqualTo("eu-west");
      assertThat(info.maxFramePayloadBytes()).isEqualTo(1 << 20);
      assertThat(info.maxRecordsPerBatch()).isEqualTo(500);
      assertThat(info.maxInflightPublishBytes()).isEqualTo(4 << 20);
      assertThat(info.maxSubscriptions()).isEqualTo(16);
      assertThat(info.idleTimeoutMs()).isEqualTo(30_000);
      assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(listener.await(RecordingListener.Connected.class).server()).isEqualTo(info);
    }
    assertThat(listener.await(RecordingListener.Closed.class).cause()).isNull();
  }

  @Test
  void errorAnswerToHelloFailsTheConnectWithItsTypedCode() throws Exception {
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(server.clientOptions().build()));
    FakeConnection connection = server.accept();
    FakeConnection.Received<Hello> hello = connection.expect(Hello.class);
    connection.sendError(hello.requestId(), ErrorCode.UNAUTHENTICATED, "token expired");
    // Error, then close (protocol section 1.4); the client does not wait for the close.
    var closing = connection.connection.closeGracefully(Duration.ofSeconds(2));

    Throwable failure = Await.failure(connecting);
    assertThat(failure).isInstanceOf(AuthException.class).hasMessageContaining("token expired");
    assertThat(((FelixException) failure).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(closing).isNotNull();
  }

  @Test
  void unreachableBrokerFailsAsUnavailable() {
    FelixOptions options =
        server
            .clientOptions()
            .serverAddress("127.0.0.1:9")
            .connectTimeout(Duration.ofMillis(300))
            .build();
    assertThatThrownBy(() -> Felix.connect(options)).isInstanceOf(UnavailableException.class);
  }

  @Test
  void insecureSkipsVerification() throws Exception {
    FelixOptions options =
        FelixOptions.builder().serverAddress(server.address()).insecure(true).build();
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(options));
    server.acceptAndHandshake();
    try (FelixClient client = Await.result(connecting)) {
      assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void untrustedCertificateIsRefused() {
    FelixOptions options =
        FelixOptions.builder()
            .serverAddress(server.address())
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    assertThatThrownBy(() -> Felix.connect(options))
        .isInstanceOf(AuthException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void closeLeavesNoClientThreads() throws Exception {
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(server.clientOptions().build()));
    FakeConnection connection = server.acceptAndHandshake();
    FelixClient client = Await.result(connecting);
    CompletableFuture<Subscription> subscribing =
        CompletableFuture.supplyAsync(
            () -> client.subscribe("threads", SubscribeOptions.latest(), record -> {}));
    var subscribe = connection.expect(Subscribe.class);
    connection.openSubscription(subscribe.requestId(), 1, List.of(new ShardOffset(0, 0)));
    Await.result(subscribing);
    assertThat(clientThreads()).isPositive();
    client.close();
    client.close();
    Await.until("the connection closed", connection.closed::isDone);
    Await.until("no client thread is left", () -> clientThreads() == 0);
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    assertThatThrownBy(() -> client.publish("x", new byte[1]))
        .isInstanceOf(UnavailableException.class);
  }

  static long clientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("felix-client-") || n.startsWith("felix-quic-client"))
        .count();
  }
}
