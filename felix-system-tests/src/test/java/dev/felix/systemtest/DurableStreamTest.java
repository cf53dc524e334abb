package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.FelixClient;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Durable streams over QUIC: a restart keeps them, a stalled subscriber loses nothing. */
class DurableStreamTest {
  @RegisterExtension
  static final EmbeddedFelix FELIX =
      EmbeddedFelix.with(
          "FELIX_STREAM_STORAGE", "durable",
          "FELIX_STREAM_FSYNC", "always",
          "FELIX_STREAM_SEND_QUEUE_BYTES", "65536");

  private static List<ReceivedRecord> readAll(Subscription subscription, int expected)
      throws InterruptedException {
    List<ReceivedRecord> records = new ArrayList<>();
    while (records.size() < expected) {
      ReceivedRecord record = subscription.poll(Duration.ofSeconds(30));
      if (record == null) {
        break;
      }
      records.add(record);
    }
    return records;
  }

  @Test
  void aRestartedServerServesTheSameRecordsAtTheSameOffsets() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("durable");
    FelixClient before = FELIX.connect();
    Records.publish(before, stream, 0, 500);
    before.close();

    FELIX.restart();

    FelixClient after = FELIX.connect();
    try (Subscription subscription = after.subscribe(stream, SubscribeOptions.earliest())) {
      List<ReceivedRecord> records = readAll(subscription, 500);
      assertThat(records).hasSize(500);
      for (int i = 0; i < records.size(); i++) {
        assertThat(records.get(i).offset()).isEqualTo(i);
      }
    }
    assertThat(Records.publish(after, stream, 500, 1).get(0).offset()).isEqualTo(500);

    Metrics metrics = FELIX.metrics();
    String labels = "{felix_namespace=\"default\",stream=\"" + stream + "\",tenant=\"default\"}";
    assertThat(metrics.value("felix_storage_disk_bytes" + labels)).isPositive();
    assertThat(metrics.value("felix_storage_fsyncs_total" + labels)).isPositive();
    assertThat(metrics.value("felix_storage_io_errors_total" + labels)).isZero();
  }

  @Test
  void aSubscriberThatStopsReadingGetsEveryRecordOnceItReadsAgain() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("slow");
    FelixClient client = FELIX.connect(options -> options.receiveBufferRecords(100));
    try (Subscription subscription = client.subscribe(stream, SubscribeOptions.latest())) {
      // Far beyond the 64 KiB send queue and the 100-record receive buffer: a memory stream would
      // drop or hold the publisher back; this one keeps going and the reader catches up later.
      Records.publish(FELIX.connect(), stream, 0, 20_000);
      List<ReceivedRecord> records = readAll(subscription, 20_000);
      assertThat(records).hasSize(20_000);
      for (int i = 0; i < records.size(); i++) {
        assertThat(records.get(i).offset()).isEqualTo(i);
      }
    }
    assertThat(FELIX.metrics().value("felix_broker_dropped_records_total")).isZero();
    assertThat(FELIX.metrics().value("felix_broker_publish_blocked_total")).isZero();
  }
}
