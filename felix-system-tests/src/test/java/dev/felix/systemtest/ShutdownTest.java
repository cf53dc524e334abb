package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.client.PublishReceipt;
import dev.felix.client.ReconnectPolicy;
import dev.felix.error.FelixException;
import dev.felix.wire.Frame;
import dev.felix.wire.message.GoAway;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import dev.felix.wire.message.Subscribed;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful shutdown: in-process through {@code FelixServer.shutdown()}, and as a real process
 * stopped with SIGTERM. A raw peer that keeps its connection open after GoAway holds the drain open
 * for its whole bound, which makes the draining state observable on {@code /ready}.
 */
class ShutdownTest {
  private static final int DRAIN_MS = 3_000;
  private static final Duration LONG = Duration.ofSeconds(60);

  @Test
  void shutdownSaysGoAwayGoesUnreadyAndDeliversEveryAckedPublishBeforeClosing() throws Exception {
    try (EmbeddedFelix felix =
        EmbeddedFelix.start(Map.of("FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS", String.valueOf(DRAIN_MS)))) {
      String stream = EmbeddedFelix.uniqueStream("drain");
      RawConnection watcher = felix.closeAfterTest(RawConnection.connect(felix));
      subscribeRaw(watcher, stream);
      RecordingListener listener = new RecordingListener();
      felix.connect(options -> options.listener(listener));
      InetSocketAddress http = felix.server().httpAddress();

      try (Publisher publisher = Publisher.start(felix.connect(), stream)) {
        Await.until("publishing under way", () -> publisher.acked.size() >= 200, LONG);
        Await.until("the watcher receiving", () -> watcher.receivedOffsets().size() >= 100, LONG);
        assertThat(EmbeddedFelix.get(http, "/live").statusCode())
            .as("live: every QUIC event loop runs the check's task, under load")
            .isEqualTo(200);

        AtomicLong shutdownMillis = new AtomicLong(-1);
        Thread shutdown =
            new Thread(
                () -> {
                  long start = System.nanoTime();
                  felix.server().shutdown();
                  shutdownMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                },
                "shutdown");
        shutdown.start();

        Await.until("/ready to answer 503 while draining", () -> readyStatus(http) == 503, LONG);
        assertThat(shutdownMillis.get()).as("still draining when 503 was seen").isEqualTo(-1);
        assertThat(EmbeddedFelix.get(http, "/live").statusCode())
            .as("a draining broker is not dead")
            .isEqualTo(200);
        Frame goAway = watcher.awaitControl(f -> f.message() instanceof GoAway, "GoAway", LONG);
        assertThat(goAway.requestId()).isZero();
        assertThat(((GoAway) goAway.message()).reason()).isEqualTo(GoAway.Reason.SHUTDOWN);
        assertThat(((GoAway) goAway.message()).drainTimeoutMs()).isEqualTo(DRAIN_MS);
        assertThatThrownBy(() -> Felix.connect(impatient(felix.clientOptions())))
            .as("a new connection while draining")
            .isInstanceOf(FelixException.class);

        shutdown.join(DRAIN_MS + 30_000);
        assertThat(shutdown.isAlive()).isFalse();
        assertThat(shutdownMillis.get())
            .as("shutdown returns within the drain bound (plus the transport's 5 s grace)")
            .isLessThan(DRAIN_MS + 5_000 + 2_000);
        publisher.stop();

        // Every publish the broker acknowledged reached the subscriber that stayed connected.
        List<Long> delivered = watcher.receivedOffsets();
        assertThat(delivered).containsExactlyElementsOf(Records.range(0, delivered.size()));
        assertThat(new HashSet<>(delivered)).containsAll(publisher.acked);
        Await.until(
            "the real client to see the connection go",
            () -> !listener.disconnects.isEmpty(),
            LONG);
      }
    }
  }

  @Test
  void sigtermDrainsAndExitsWithZero(@TempDir Path dataDir) throws Exception {
    try (ServerProcess server =
        ServerProcess.start(
            dataDir,
            Map.of(
                "FELIX_SERVER_ID",
                "sigterm-test",
                "FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS",
                String.valueOf(DRAIN_MS)))) {
      Process process = server.process();
      List<String> output = server.output();
      int quicPort = server.quicPort();
      InetSocketAddress http = server.http();
      Path ca = server.caFile();
      assertThat(readyStatus(http)).isEqualTo(200);

      String stream = EmbeddedFelix.uniqueStream("sigterm");
      try (RawConnection watcher = RawConnection.connect(quicPort, ca);
          FelixClient client =
              Felix.connect(
                  FelixOptions.builder()
                      .serverAddress("127.0.0.1:" + quicPort)
                      .caFile(ca)
                      .trustSystemStore(false)
                      .reconnect(ReconnectPolicy.DISABLED)
                      .build())) {
        subscribeRaw(watcher, stream);
        Records.publish(client, stream, 0, 100);
        Await.until("the watcher receiving", () -> watcher.receivedOffsets().size() == 100, LONG);

        process.destroy(); // SIGTERM
        Await.until(
            "/ready to answer 503 while draining",
            () -> readyStatus(http) == 503 || !process.isAlive(),
            LONG);
        assertThat(process.isAlive()).as("still draining when /ready was checked").isTrue();
        Frame goAway = watcher.awaitControl(f -> f.message() instanceof GoAway, "GoAway", LONG);
        assertThat(((GoAway) goAway.message()).reason()).isEqualTo(GoAway.Reason.SHUTDOWN);

        assertThat(process.waitFor(DRAIN_MS + 60_000, TimeUnit.MILLISECONDS))
            .as("the process exits after the drain")
            .isTrue();
        assertThat(process.exitValue()).as("exit code; output: %s", output).isZero();
        assertThat(watcher.receivedOffsets()).containsExactlyElementsOf(Records.range(0, 100));
      }
    }
  }

  // ---- helpers ----

  /**
   * Subscribes the raw peer to {@code stream} from the earliest record and waits for Subscribed.
   */
  private static void subscribeRaw(RawConnection raw, String stream) {
    raw.hello();
    raw.send(2, Subscribe.of(StreamRef.of(stream), StartPosition.EARLIEST));
    Await.until(
        "Subscribed",
        () -> raw.subscriptionFrames().stream().anyMatch(f -> f.message() instanceof Subscribed),
        LONG);
  }

  /** The status of GET /ready, or -1 when the server does not answer (any more). */
  private static int readyStatus(InetSocketAddress http) {
    try {
      HttpResponse<String> response = EmbeddedFelix.get(http, "/ready");
      return response.statusCode();
    } catch (UncheckedIOException e) {
      return -1;
    }
  }

  private static FelixOptions impatient(FelixOptions.Builder options) {
    return options
        .reconnect(ReconnectPolicy.DISABLED)
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(2))
        .build();
  }

  /**
   * Publishes until stopped, one record at a time in a pipeline of 20, and remembers the offset of
   * every publish the broker acknowledged. Failures are expected once the server drains.
   */
  private static final class Publisher implements AutoCloseable {
    final Set<Long> acked = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private Publisher(FelixClient client, String stream) {
      thread =
          new Thread(
              () -> {
                long next = 0;
                while (running.get()) {
                  List<CompletableFuture<PublishReceipt>> window = new ArrayList<>();
                  for (int i = 0; i < 20; i++) {
                    window.add(
                        client
                            .publishAsync(stream, Records.payloadBytes(next++))
                            .whenComplete(
                                (receipt, error) -> {
                                  if (receipt != null) {
                                    acked.add(receipt.offset());
                                  }
                                }));
                  }
                  try {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new))
                        .get(60, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    return; // the server is going away
                  }
                }
              },
              "publisher-" + stream);
      thread.setDaemon(true);
    }

    static Publisher start(FelixClient client, String stream) {
      Publisher publisher = new Publisher(client, stream);
      publisher.thread.start();
      return publisher;
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(90_000);
    }

    @Override
    public void close() {
      running.set(false);
      try {
        thread.join(90_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
