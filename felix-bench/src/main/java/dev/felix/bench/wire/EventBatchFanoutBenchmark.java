package dev.felix.bench.wire;

import dev.felix.wire.FrameCodec;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.RecordBatch;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Delivery side: one batch of records fanned out to N subscribers of a shard. Felix encodes the
 * shared part once ({@code EventBatch.encodeShared}) and writes only a 20-byte prefix per
 * subscriber ({@code EventBatch.writePrefix}) into a reused buffer, so the cost should be one batch
 * copy plus a small constant per subscriber.
 *
 * <p>Comparisons: {@code felixEncodePerSubscriber} encodes a complete EventBatch frame for every
 * subscriber (what the shared encoding avoids), and {@code jdkAllocateAndPutShared} is the floor of
 * the one copy: a new buffer of the shared part's size filled with a bulk put.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
public class EventBatchFanoutBenchmark {
  private static final int SHARD = 3;
  private static final long BASE_OFFSET = 1_000_000L;

  @Param({"1", "64", "1024"})
  public int recordsPerBatch;

  @Param({"100"})
  public int payloadBytes;

  private RecordBatch records;
  private byte[] sharedBytes;

  /**
   * The subscriber count is a separate state so that the baseline, which does not depend on it, is
   * not run once per count.
   */
  @State(Scope.Thread)
  public static class Subscribers {
    @Param({"1", "10", "100"})
    public int subscribers;

    /** One 20-byte prefix per subscriber, reused for every batch. */
    ByteBuffer prefixes;

    @Setup
    public void setUp() {
      prefixes = ByteBuffer.allocate(subscribers * EventBatch.PREFIX_BYTES);
    }
  }

  @Setup
  public void setUp() {
    records = RecordBatch.of(WireFixtures.records(recordsPerBatch, payloadBytes));
    ByteBuffer prefix = ByteBuffer.allocate(EventBatch.PREFIX_BYTES);
    ByteBuffer shared = EventBatch.encodeShared(WireFixtures.STREAM, SHARD, BASE_OFFSET, records);
    sharedBytes = new byte[shared.remaining()];
    shared.get(sharedBytes);

    // The prefix plus the shared part must be exactly the frame FrameCodec encodes.
    EventBatch.writePrefix(prefix, 0, 1, sharedBytes.length);
    byte[] joined = new byte[EventBatch.PREFIX_BYTES + sharedBytes.length];
    prefix.get(0, joined, 0, EventBatch.PREFIX_BYTES);
    System.arraycopy(sharedBytes, 0, joined, EventBatch.PREFIX_BYTES, sharedBytes.length);
    WireFixtures.requireSameBytes(
        "prefix + shared part",
        FrameCodec.encodeToArray(
            0, new EventBatch(1, WireFixtures.STREAM, SHARD, BASE_OFFSET, records)),
        joined);
  }

  @Benchmark
  public void felixEncodeSharedAndPrefixes(Subscribers fanout, Blackhole bh) {
    ByteBuffer shared = EventBatch.encodeShared(WireFixtures.STREAM, SHARD, BASE_OFFSET, records);
    int sharedLength = shared.remaining();
    ByteBuffer prefixes = fanout.prefixes;
    for (int s = 0; s < fanout.subscribers; s++) {
      EventBatch.writePrefix(prefixes, s * EventBatch.PREFIX_BYTES, s + 1, sharedLength);
    }
    bh.consume(shared);
    bh.consume(prefixes);
  }

  @Benchmark
  public void felixEncodePerSubscriber(Subscribers fanout, Blackhole bh) {
    for (int s = 0; s < fanout.subscribers; s++) {
      bh.consume(
          FrameCodec.encode(
              0, new EventBatch(s + 1, WireFixtures.STREAM, SHARD, BASE_OFFSET, records)));
    }
  }

  @Benchmark
  public void jdkAllocateAndPutShared(Blackhole bh) {
    bh.consume(ByteBuffer.allocate(sharedBytes.length).put(sharedBytes));
  }
}
