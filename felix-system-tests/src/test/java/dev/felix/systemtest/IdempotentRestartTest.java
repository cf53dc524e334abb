package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotent publishing across a SIGKILL: batches appended before the broker process was killed and
 * resent to the restarted broker with the same producer id and sequence are acknowledged with their
 * original offsets and not appended again (the stamps are stored in the durable batches).
 */
class IdempotentRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final StreamRef STREAM = StreamRef.of("idempotent-restart");
  private static final long PRODUCER = 4242;
  private static final Map<String, String> DURABLE =
      Map.of("FELIX_STREAM_STORAGE", "durable", "FELIX_STREAM_FSYNC", "always");

  private static PublishBatch batch(long sequence, String... payloads) {
    List<RecordData> records = new ArrayList<>();
    for (String payload : payloads) {
      records.add(RecordData.of(payload));
    }
    return new PublishBatch(
        new PublishTarget(STREAM, 0, PRODUCER, sequence, AckMode.LEADER), RecordBatch.of(records));
  }

  private static RawConnection helloed(ServerProcess server) {
    RawConnection raw = RawConnection.connect(server.quicPort(), server.caFile());
    raw.send(
        1,
        new Hello(
            ProtocolVersion.CURRENT,
            ProtocolVersion.CURRENT,
            Capabilities.IDEMPOTENT_PRODUCER,
            "raw",
            Bytes.EMPTY));
    raw.awaitReply(1, WAIT);
    return raw;
  }

  private static PublishAck publish(RawConnection raw, int requestId, PublishBatch batch) {
    raw.send(requestId, batch);
    Frame answer = raw.awaitReply(requestId, WAIT);
    assertThat(answer.message()).isInstanceOf(PublishAck.class);
    return (PublishAck) answer.message();
  }

  @Test
  void batchesResentAfterAKillAreAcknowledgedWithTheirOriginalOffsets(@TempDir Path dataDir)
      throws Exception {
    PublishBatch first = batch(0, "a0", "a1", "a2");
    PublishBatch second = batch(3, "b0", "b1");
    PublishAck firstAck;
    PublishAck secondAck;
    try (ServerProcess server = ServerProcess.start(dataDir, DURABLE);
        RawConnection raw = helloed(server)) {
      firstAck = publish(raw, 2, first);
      secondAck = publish(raw, 3, second);
      server.kill();
    }

    try (ServerProcess server = ServerProcess.start(dataDir, DURABLE)) {
      try (RawConnection raw = helloed(server)) {
        assertThat(publish(raw, 2, second)).isEqualTo(secondAck);
        assertThat(publish(raw, 3, first)).isEqualTo(firstAck);
        PublishAck next = publish(raw, 4, batch(5, "c0"));
        assertThat(next.ranges().get(0).baseOffset()).isEqualTo(5);
      }
      try (FelixClient client = Felix.connect(options(server));
          Subscription subscription =
              client.subscribe(STREAM.stream(), SubscribeOptions.earliest())) {
        List<String> payloads = new ArrayList<>();
        ReceivedRecord record;
        while ((record = subscription.poll(Duration.ofSeconds(3))) != null) {
          payloads.add(record.payloadAsString());
        }
        assertThat(payloads).containsExactly("a0", "a1", "a2", "b0", "b1", "c0");
      }
    }
  }

  private static FelixOptions options(ServerProcess server) {
    return FelixOptions.builder()
        .serverAddress("127.0.0.1:" + server.quicPort())
        .caFile(server.caFile())
        .trustSystemStore(false)
        .reconnect(ReconnectPolicy.DISABLED)
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }
}
