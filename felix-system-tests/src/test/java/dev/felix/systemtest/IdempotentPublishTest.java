package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.FelixClient;
import dev.felix.client.PublishReceipt;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.ReconnectPolicy;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.wire.Bytes;
import dev.felix.wire.Capabilities;
import dev.felix.wire.Frame;
import dev.felix.wire.ProtocolVersion;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Idempotent publishing over QUIC: a resent batch is acknowledged, never appended twice. */
class IdempotentPublishTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** A short idle timeout, so that a connection whose answers are lost dies quickly. */
  @RegisterExtension
  final EmbeddedFelix felix = EmbeddedFelix.with("FELIX_QUIC_IDLE_TIMEOUT_MS", "2000");

  @Test
  void theSameBatchTwiceIsOneAppendAndTheSameAck() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("raw-idempotent");
    try (RawConnection raw = felix.closeAfterTest(RawConnection.connect(felix))) {
      raw.send(
          1,
          new Hello(
              ProtocolVersion.CURRENT,
              ProtocolVersion.CURRENT,
              Capabilities.IDEMPOTENT_PRODUCER,
              "raw",
              Bytes.EMPTY));
      raw.awaitReply(1, WAIT);
      PublishBatch batch =
          new PublishBatch(
              new PublishTarget(StreamRef.of(stream), -1, 77, 0, AckMode.LEADER),
              RecordBatch.of(List.of(RecordData.of("a"), RecordData.of("b"))));
      raw.send(2, batch);
      Frame first = raw.awaitReply(2, WAIT);
      raw.send(3, batch);
      Frame second = raw.awaitReply(3, WAIT);
      assertThat(first.message()).isInstanceOf(PublishAck.class);
      assertThat(second.message()).isEqualTo(first.message());
    }
    assertThat(felix.metrics().value("felix_broker_publish_duplicates_total")).isEqualTo(2);
    assertThat(felix.metrics().value("felix_broker_published_records_total")).isEqualTo(2);
  }

  @Test
  void publishesInFlightWhenTheConnectionDiesAreResentAndAppendedOnce() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("resend");
    UdpRelay relay = felix.closeAfterTest(UdpRelay.start(felix.quicSocketAddress()));
    FelixClient client =
        felix.connect(
            options ->
                options
                    .serverAddress(relay.address())
                    .reconnect(
                        ReconnectPolicy.DEFAULT
                            .withInitialBackoff(Duration.ofMillis(50))
                            .withMaxBackoff(Duration.ofMillis(500)))
                    .requestTimeout(Duration.ofSeconds(30)));
    Records.publish(client, stream, 0, 100);

    // The broker receives and appends these, but its acknowledgements never come back: the
    // connection dies of its idle timeout with the publishes in flight. How many of them reach
    // the broker before that depends on how fast the client sends them; the rest go out first on
    // the next connection, after the relay heals (a loaded CI run waited 60 s for all 200 to be
    // appended and never saw it). One appended, unacknowledged batch is enough for the resend.
    relay.dropFromServer(true);
    List<CompletableFuture<PublishReceipt>> inFlight =
        Records.publishAsync(client, stream, 100, 200, 0);
    Await.until("the broker to append in-flight publishes", () -> appended() > 100, WAIT);
    Thread.sleep(2_500); // past the idle timeout
    relay.dropFromServer(false);

    List<PublishReceipt> receipts = new ArrayList<>();
    for (CompletableFuture<PublishReceipt> receipt : inFlight) {
      receipts.add(receipt.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
    Set<Long> offsets = new HashSet<>();
    receipts.forEach(r -> offsets.add(r.offset()));
    assertThat(offsets).hasSize(200).allMatch(offset -> offset >= 100 && offset < 300);
    assertThat(appended()).as("nothing appended twice").isEqualTo(300);
    assertThat(felix.metrics().value("felix_broker_publish_duplicates_total")).isPositive();

    try (Subscription subscription =
        felix.connect().subscribe(stream, SubscribeOptions.earliest())) {
      List<String> payloads = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        ReceivedRecord record = subscription.poll(WAIT);
        payloads.add(record.payloadAsString());
      }
      assertThat(new HashSet<>(payloads)).hasSize(300);
    }
  }

  /** Records the broker appended (this test's server serves this test only). */
  private double appended() {
    return felix.metrics().value("felix_broker_published_records_total");
  }
}
