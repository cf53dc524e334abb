package dev.felix.broker;

import dev.felix.broker.time.ManualScheduler;
import dev.felix.storage.log.MemoryLogConfig;
import dev.felix.storage.time.ManualClock;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.util.List;

/** A broker on a manual clock and scheduler, with shortcuts for publishing and subscribing. */
final class BrokerFixture implements AutoCloseable {
  final ManualClock clock = new ManualClock();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final Broker broker;
  private int nextSubscriptionId = 1;

  BrokerFixture(BrokerConfig config) {
    broker = Broker.create(config, clock, scheduler);
  }

  BrokerFixture() {
    this(BrokerConfig.defaults());
  }

  /** Settings with a stream default that is small enough to hit every bound in a test. */
  static BrokerConfig.Builder smallConfig(StreamConfig stream) {
    return BrokerConfig.builder().maxRecordBytes(512).defaultStream(stream);
  }

  static StreamConfig smallStream() {
    return StreamConfig.DEFAULTS.withLog(new MemoryLogConfig(64 * 1024, 10_000, 1024));
  }

  static RecordData record(String payload) {
    return RecordData.of(payload);
  }

  static RecordData keyed(String key, String payload) {
    return new RecordData(
        Bytes.utf8(key), List.of(Header.of("h", "v-" + payload)), 0, Bytes.utf8(payload));
  }

  PublishResult publish(StreamRef stream, RecordData... records) {
    return broker.publish(
        PublishTarget.of(stream, AckMode.LEADER), RecordBatch.of(List.of(records)));
  }

  PublishResult publishTo(StreamRef stream, int shard, RecordData... records) {
    return broker.publish(
        new PublishTarget(stream, shard, 0, 0, AckMode.LEADER), RecordBatch.of(List.of(records)));
  }

  /** Publishes and expects it accepted; returns the ack. */
  PublishAck publishAcked(StreamRef stream, RecordData... records) {
    PublishResult result = publish(stream, records);
    if (!result.isAccepted()) {
      throw new AssertionError("publish was blocked");
    }
    return result.ack().toCompletableFuture().join();
  }

  TestSink subscribe(StreamRef stream, StartPosition start) {
    return subscribe(Subscribe.of(stream, start));
  }

  TestSink subscribe(Subscribe request) {
    TestSink sink = subscribeUnsettled(request);
    settle();
    return sink;
  }

  /** Subscribes without running the catch-up steps it schedules. */
  TestSink subscribeUnsettled(Subscribe request) {
    TestSink sink = new TestSink(nextSubscriptionId++);
    Subscription subscription = broker.subscribe(request, sink.subscriptionId(), sink);
    sink.attach(subscription);
    return sink;
  }

  /** Joins consumer group {@code group} of {@code stream} and runs the lease steps it schedules. */
  TestSink join(StreamRef stream, String group, int maxInFlight, StartPosition start) {
    TestSink sink = new TestSink(nextSubscriptionId++);
    Subscription member =
        broker.subscribe(
            new Subscribe(stream, -1, start, 0, group, maxInFlight), sink.subscriptionId(), sink);
    sink.attach(member);
    settle();
    return sink;
  }

  /** Runs every due scheduler task (catch-up steps, wake-ups). */
  int settle() {
    return scheduler.runDue();
  }

  @Override
  public void close() {
    broker.close();
  }
}
