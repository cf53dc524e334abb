package dev.felix.bench.broker;

import dev.felix.broker.Broker;
import dev.felix.broker.BrokerConfig;
import dev.felix.broker.EventSink;
import dev.felix.broker.PublishResult;
import dev.felix.broker.SharedEvents;
import dev.felix.broker.Subscription;
import dev.felix.error.FelixException;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.EventsDropped;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One publish of a batch of {@code recordsPerBatch} records (100-byte payloads) through {@link
 * Broker#publish} on a memory stream with its default settings and {@code subscribers} live
 * subscriptions whose sinks take every event batch at once, waiting for the leader ack: the
 * broker's share of W1-W3 (publish gate, stream lookup, idempotence-free append, fan-out of one
 * shared event batch), without QUIC and without the client.
 *
 * <p>Deliveries may run on the broker's scheduler threads; {@code -prof gc} counts every thread's
 * allocation, so B/op is the whole path's. The figure to watch when changing the publish path:
 * before and after, same machine, same pass.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class BrokerPublishBenchmark {
  @Param({"1", "64"})
  public int recordsPerBatch;

  @Param({"0", "1"})
  public int subscribers;

  private Broker broker;
  private PublishTarget target;
  private RecordBatch batch;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final AtomicLong eventBatches = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() {
    broker = Broker.start(BrokerConfig.defaults());
    StreamRef stream = StreamRef.of("bench-publish");
    target = PublishTarget.of(stream, AckMode.LEADER);
    List<RecordData> records = new ArrayList<>(recordsPerBatch);
    for (int i = 0; i < recordsPerBatch; i++) {
      records.add(RecordData.of(Bytes.of(new byte[100])));
    }
    batch = RecordBatch.of(records);
    publish(); // creates the stream, so that subscribers can join it
    for (int i = 0; i < subscribers; i++) {
      subscriptions.add(
          broker.subscribe(
              Subscribe.of(stream, StartPosition.LATEST), i + 1, new CountingSink(eventBatches)));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (subscribers > 0 && eventBatches.get() == 0) {
      throw new IllegalStateException(
          "no event batch reached a subscriber: the fan-out is not measured");
    }
    subscriptions.forEach(Subscription::close);
    broker.close();
  }

  /** Event batches the subscribers' sinks took so far. */
  long eventBatches() {
    return eventBatches.get();
  }

  @Benchmark
  public PublishAck publish() {
    while (true) {
      PublishResult result = broker.publish(target, batch);
      if (result.isAccepted()) {
        return result.ack().toCompletableFuture().join();
      }
      result.retryWhen().toCompletableFuture().join();
    }
  }

  /** Takes every event batch at once, like a subscriber's transport stream with room. */
  private static final class CountingSink implements EventSink {
    private final AtomicLong eventBatches;

    CountingSink(AtomicLong eventBatches) {
      this.eventBatches = eventBatches;
    }

    @Override
    public boolean offer(SharedEvents events) {
      eventBatches.incrementAndGet();
      return true;
    }

    @Override
    public boolean offer(EventsDropped notice) {
      return true;
    }

    @Override
    public void onClose(FelixException reason) {}
  }
}
