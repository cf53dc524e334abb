package dev.felix.bench.wire;

import dev.felix.wire.Frame;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.RecordCodec;
import dev.felix.wire.message.RecordCursor;
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
 * Broker side: a received PublishBatch frame decoded with {@code FrameCodec.decode} (header checks,
 * target, and one validation walk over all records in {@code RecordBatch.wrap}) and then iterated
 * with a {@link RecordCursor} that reads offset deltas and payload positions in place. Decoding
 * allocates a fixed handful of objects per frame (views, target, names, message); with {@code -prof
 * gc}, B/op must not grow with records per batch.
 *
 * <p>Baselines on the same frame: {@code jdkUncheckedWalk} (follow the record lengths with absolute
 * gets and check nothing: the floor for any iteration) and {@code jdkDataInputStream} (a naive
 * java.io decoder that copies each payload into its own array).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
public class PublishBatchDecodeBenchmark {
  @Param({"1", "64", "1024"})
  public int recordsPerBatch;

  @Param({"100"})
  public int payloadBytes;

  private final FrameCodec codec = new FrameCodec(WireLimits.DEFAULTS);
  private byte[] frameBytes;
  private ByteBuffer frame;
  private int recordsStart;

  @Setup
  public void setUp() {
    frameBytes = WireFixtures.publishFrame(recordsPerBatch, payloadBytes);
    frame = ByteBuffer.wrap(frameBytes);
    PublishBatch decoded = (PublishBatch) codec.decode(frame).message();
    recordsStart = frameBytes.length - decoded.records().sizeBytes();
    long expected = iterate(decoded);
    if (uncheckedWalk() != expected) {
      throw new IllegalStateException("the unchecked walk does not read what the cursor reads");
    }
  }

  /** The full receive path: validate once, then walk the records without copying. */
  @Benchmark
  public void felixDecodeAndIterate(Blackhole bh) {
    Frame decoded = codec.decode(frame);
    bh.consume(iterate((PublishBatch) decoded.message()));
  }

  /** Decode and validation only, to separate their cost from the walk. */
  @Benchmark
  public void felixDecodeOnly(Blackhole bh) {
    bh.consume(codec.decode(frame));
  }

  @Benchmark
  public void jdkUncheckedWalk(Blackhole bh) {
    bh.consume(uncheckedWalk());
  }

  @Benchmark
  public void jdkDataInputStream(Blackhole bh) {
    bh.consume(NaiveStreamCodec.decodePublishBatch(frameBytes));
  }

  private static long iterate(PublishBatch batch) {
    RecordCursor cursor = batch.records().cursor();
    long checksum = 0;
    while (cursor.next()) {
      checksum += cursor.offsetDelta() + cursor.payloadPosition() + cursor.payloadLength();
    }
    return checksum;
  }

  /** Same fields as {@link #iterate}, positions relative to the records like the cursor's. */
  private long uncheckedWalk() {
    long checksum = 0;
    int position = recordsStart;
    for (int i = 0; i < recordsPerBatch; i++) {
      int length = frame.getInt(position);
      int payloadPosition = position + RecordCodec.KEY_OFFSET + 2;
      int recordEnd = position + RecordCodec.LENGTH_PREFIX + length;
      checksum +=
          frame.getInt(position + RecordCodec.OFFSET_DELTA_OFFSET)
              + (payloadPosition - recordsStart)
              + (recordEnd - payloadPosition);
      position = recordEnd;
    }
    return checksum;
  }
}
