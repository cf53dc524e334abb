package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.ReconnectPolicy;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.wire.message.StartPosition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's reconnect and resume against a real server. The memory log does not survive a
 * restart, so the lossless case cuts the network instead: the subscriber talks to the server
 * through a {@link UdpRelay} that starts dropping every datagram; both sides notice through the
 * QUIC idle timeout (lowered to 2 s), the client reconnects once the relay passes datagrams again,
 * and its subscription continues after the last record it received. The restart case checks what a
 * client does when the broker it returns to has lost the log.
 */
class ReconnectTest {
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final ReconnectPolicy QUICK =
      ReconnectPolicy.DEFAULT
          .withInitialBackoff(Duration.ofMillis(50))
          .withMaxBackoff(Duration.ofMillis(500));

  /** Its own server per test: the idle timeout is lowered and one test restarts the server. */
  @RegisterExtension
  final EmbeddedFelix felix = EmbeddedFelix.with("FELIX_QUIC_IDLE_TIMEOUT_MS", "2000");

  @Test
  void subscriptionResumesAfterItsLastRecordWhenTheNetworkComesBack() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("resume");
    UdpRelay relay = felix.closeAfterTest(UdpRelay.start(felix.quicSocketAddress()));
    RecordingListener listener = new RecordingListener();
    FelixClient subscriber =
        felix.connect(options -> throughRelay(options, relay).listener(listener));
    FelixClient publisher = felix.connect();
    Subscription subscription = subscriber.subscribe(stream, SubscribeOptions.earliest());

    try (SubscriptionCollector collector = SubscriptionCollector.start(subscription, stream)) {
      Records.publish(publisher, stream, 0, 500);
      collector.awaitCount(500, LONG);

      relay.drop(true);
      // Appended while the subscriber's connection is dead: delivered only after the resume.
      Records.publish(publisher, stream, 500, 500);
      Await.until(
          "the subscriber to notice the dead connection",
          () -> !listener.disconnects.isEmpty(),
          LONG);
      relay.drop(false);
      Await.until("the subscriber to reconnect", () -> listener.reconnects.get() >= 1, LONG);
      Records.publish(publisher, stream, 1_000, 500);

      collector.awaitCount(1_500, LONG);
      Records.assertExactly(collector.records(), 0, 1_500);
      assertThat(subscription.nextOffsets()).containsEntry(0, 1_500L);
    }
    assertThat(listener.resumeGaps).isEmpty();
    assertThat(listener.subscriptionEnds).isEmpty();
    assertThat(listener.errors).isEmpty();
    // The server dropped the dead connection and its subscription on its own idle timeout.
    Await.until(
        "the server to close the dead connection",
        () -> felix.metrics().value("felix_subscriptions_active") == 1,
        LONG);
  }

  @Test
  void afterGoAwayTheClientReconnectsToARestartedServerAndReportsTheResumeGap() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("restart");
    RecordingListener listener = new RecordingListener();
    FelixClient subscriber = felix.connect(options -> options.reconnect(QUICK).listener(listener));
    Subscription subscription =
        subscriber.subscribe(
            stream,
            SubscribeOptions.builder()
                .start(StartPosition.EARLIEST)
                .fromEarliestIfOutOfRange(true)
                .build());

    try (SubscriptionCollector collector = SubscriptionCollector.start(subscription, stream)) {
      Records.publish(felix.connect(), stream, 0, 100);
      collector.awaitCount(100, LONG);

      felix.restart();
      Await.until("the subscriber to reconnect", () -> listener.reconnects.get() >= 1, LONG);
      // The new broker's log starts empty; the subscription falls back to its earliest record.
      Await.until("the resume gap to be reported", () -> !listener.resumeGaps.isEmpty(), LONG);
      Records.publish(felix.connect(), stream, 100, 50);

      collector.awaitCount(150, LONG);
      List<ReceivedRecord> records = collector.records();
      Records.assertExactly(records.subList(0, 100), 0, 100);
      List<ReceivedRecord> after = records.subList(100, 150);
      assertThat(Records.offsets(after)).containsExactlyElementsOf(Records.range(0, 50));
      for (int i = 0; i < 50; i++) {
        assertThat(after.get(i).payloadAsString()).isEqualTo(Records.payload(100 + i));
      }
    }
    assertThat(listener.disconnects).as("GoAway ended the first connection").isNotEmpty();
    assertThat(listener.resumeGaps).containsExactly(new RecordingListener.ResumeGap(0, 100, 0));
    assertThat(listener.subscriptionEnds).isEmpty();
  }

  private static FelixOptions.Builder throughRelay(FelixOptions.Builder options, UdpRelay relay) {
    return options
        .serverAddress(relay.address())
        .reconnect(QUICK)
        .connectTimeout(Duration.ofSeconds(5));
  }
}
