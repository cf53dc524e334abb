package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.FelixClient;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.RecordListener;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.error.ErrorCode;
import dev.felix.wire.Bytes;
import dev.felix.wire.Capabilities;
import dev.felix.wire.ProtocolVersion;
import dev.felix.wire.message.CursorCommit;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.Ok;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Named subscription cursors over QUIC on durable streams: a committed position survives a server
 * restart, cursors are independent, and the broker refuses positions past the end.
 */
class CursorSystemTest {
  @RegisterExtension
  static final EmbeddedFelix FELIX =
      EmbeddedFelix.with("FELIX_STREAM_STORAGE", "durable", "FELIX_STREAM_FSYNC", "always");

  static SubscribeOptions.Builder cursor(String name) {
    return SubscribeOptions.builder().start(StartPosition.EARLIEST).cursor(name);
  }

  static List<ReceivedRecord> take(Subscription subscription, int count)
      throws InterruptedException {
    List<ReceivedRecord> records = new ArrayList<>();
    while (records.size() < count) {
      ReceivedRecord record = subscription.poll(Await.DEFAULT);
      if (record == null) {
        break;
      }
      records.add(record);
    }
    return records;
  }

  /** Takes {@code count} records and asserts that nothing else arrives in a short while. */
  static List<ReceivedRecord> takeExactly(Subscription subscription, int count)
      throws InterruptedException {
    List<ReceivedRecord> records = take(subscription, count);
    assertThat(subscription.poll(Duration.ofMillis(300))).as("a record beyond the rest").isNull();
    return records;
  }

  @Test
  void aCommittedCursorResumesAfterARestartWithExactlyTheRest() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("cursor");
    FelixClient client = FELIX.connect();
    Records.publish(client, stream, 0, 100);
    try (Subscription subscription = client.subscribe(stream, cursor("reporter").build())) {
      Records.assertExactly(take(subscription, 50), 0, 50);
      subscription.commit();
      // Taken after the commit and not committed: these come again.
      Records.assertExactly(take(subscription, 10), 50, 60);
    }
    client.close();

    FELIX.restart();

    FelixClient after = FELIX.connect();
    try (Subscription subscription = after.subscribe(stream, cursor("reporter").build())) {
      Records.assertExactly(takeExactly(subscription, 50), 50, 100);
      assertThat(subscription.nextOffsets()).containsEntry(0, 100L);
    }
  }

  @Test
  void autoCommitStoresProgressPeriodicallyAndOnClose() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("auto");
    FelixClient client = FELIX.connect();
    Records.publish(client, stream, 0, 80);
    double commitsBefore = FELIX.metrics().value("felix_broker_cursor_commits_total");
    SubscribeOptions options = cursor("auto").autoCommit(Duration.ofMillis(100)).build();
    try (Subscription subscription = client.subscribe(stream, options)) {
      Records.assertExactly(take(subscription, 30), 0, 30);
      Await.until(
          "an auto-commit",
          () -> FELIX.metrics().value("felix_broker_cursor_commits_total") > commitsBefore);
    }
    // A listener's records count once it returned; close commits what it took.
    List<ReceivedRecord> heard = new CopyOnWriteArrayList<>();
    RecordListener listener = heard::add;
    Subscription listening = client.subscribe(stream, options, listener);
    Await.until("records 30..59 heard", () -> heard.size() >= 50);
    listening.close();
    long next = heard.get(heard.size() - 1).offset() + 1;
    client.close();

    FELIX.restart();

    try (Subscription subscription = FELIX.connect().subscribe(stream, cursor("auto").build())) {
      Records.assertExactly(takeExactly(subscription, (int) (80 - next)), next, 80);
    }
  }

  @Test
  void cursorsOfOneStreamAreIndependent() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("two");
    FelixClient client = FELIX.connect();
    Records.publish(client, stream, 0, 40);
    try (Subscription a = client.subscribe(stream, cursor("a").build());
        Subscription b = client.subscribe(stream, cursor("b").build())) {
      take(a, 30);
      a.commit();
      take(b, 10);
      b.commitAsync().get();
    }
    try (Subscription a = client.subscribe(stream, cursor("a").build());
        Subscription b = client.subscribe(stream, cursor("b").build());
        Subscription plain = client.subscribe(stream, SubscribeOptions.earliest())) {
      Records.assertExactly(takeExactly(a, 10), 30, 40);
      Records.assertExactly(takeExactly(b, 30), 10, 40);
      Records.assertExactly(takeExactly(plain, 40), 0, 40);
    }
  }

  @Test
  void aCommitPastTheEndIsOffsetOutOfRangeAndOneWithoutTheCapabilityIsRefused() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("beyond");
    Records.publish(FELIX.connect(), stream, 0, 5);
    StreamRef ref = StreamRef.of(stream);
    try (RawConnection raw = FELIX.closeAfterTest(RawConnection.connect(FELIX))) {
      raw.send(
          1,
          new Hello(
              ProtocolVersion.CURRENT,
              ProtocolVersion.CURRENT,
              Capabilities.DURABLE_CURSORS,
              "raw",
              Bytes.EMPTY));
      HelloOk ok = (HelloOk) raw.awaitReply(1, Await.DEFAULT).message();
      assertThat(Capabilities.has(ok.capabilities(), Capabilities.DURABLE_CURSORS)).isTrue();

      raw.send(2, new CursorCommit(ref, "raw", List.of(new ShardOffset(0, 6))));
      raw.send(3, new CursorCommit(ref, "raw", List.of(new ShardOffset(0, 5))));
      raw.send(4, new CursorCommit(ref, "raw", List.of(new ShardOffset(0, 2))));

      assertThat(((ErrorReply) raw.awaitReply(2, Await.DEFAULT).message()).errorCode())
          .isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE);
      // The end itself is a valid position (everything consumed); going back is not an error.
      assertThat(raw.awaitReply(3, Await.DEFAULT).message()).isEqualTo(Ok.INSTANCE);
      assertThat(raw.awaitReply(4, Await.DEFAULT).message()).isEqualTo(Ok.INSTANCE);
    }
    try (Subscription resumed = FELIX.connect().subscribe(stream, cursor("raw").build())) {
      Records.publish(FELIX.connect(), stream, 5, 1);
      Records.assertExactly(takeExactly(resumed, 1), 5, 6);
    }
    try (RawConnection raw = FELIX.closeAfterTest(RawConnection.connect(FELIX))) {
      raw.hello();
      raw.send(2, new CursorCommit(ref, "raw", List.of(new ShardOffset(0, 1))));
      assertThat(((ErrorReply) raw.awaitReply(2, Await.DEFAULT).message()).errorCode())
          .isEqualTo(ErrorCode.UNSUPPORTED_FEATURE);
    }
  }
}
