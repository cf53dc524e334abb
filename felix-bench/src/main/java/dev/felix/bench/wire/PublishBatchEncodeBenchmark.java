package dev.felix.bench.wire;

import dev.felix.wire.FrameCodec;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import java.nio.ByteBuffer;
import java.util.List;
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
 * Producer side: a PublishBatch frame built from application {@link RecordData} values, the way a
 * client builds one per send. {@code RecordBatch.of} encodes the records into one buffer and {@code
 * FrameCodec.encode} copies them behind the frame header, so two allocations and two copies per
 * batch are expected, sized by the batch and independent of the record count.
 *
 * <p>Baselines on the same bytes: {@code jdkBulkPutReused} (one copy into a reused buffer, the
 * floor for any encoder), {@code jdkAllocateAndPut} (the floor for an encoder that returns a new
 * buffer, as FrameCodec does) and {@code jdkDataOutputStream} (a naive java.io encoder).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
public class PublishBatchEncodeBenchmark {
  @Param({"1", "64", "1024"})
  public int recordsPerBatch;

  @Param({"100"})
  public int payloadBytes;

  private List<RecordData> records;
  private PublishBatch prebuilt;
  private byte[][] payloads;
  private byte[] frameBytes;
  private ByteBuffer reusedFrame;

  @Setup
  public void setUp() {
    records = WireFixtures.records(recordsPerBatch, payloadBytes);
    prebuilt = new PublishBatch(WireFixtures.TARGET, RecordBatch.of(records));
    payloads = WireFixtures.payloads(recordsPerBatch, payloadBytes);
    frameBytes = WireFixtures.publishFrame(recordsPerBatch, payloadBytes);
    reusedFrame = ByteBuffer.allocate(frameBytes.length);
    WireFixtures.requireSameBytes(
        "DataOutputStream encoder",
        frameBytes,
        NaiveStreamCodec.encodePublishBatch(
            WireFixtures.REQUEST_ID, WireFixtures.TARGET, payloads));
  }

  /** The client path: records to RecordBatch to frame. */
  @Benchmark
  public void felixRecordBatchOfAndEncode(Blackhole bh) {
    PublishBatch batch = new PublishBatch(WireFixtures.TARGET, RecordBatch.of(records));
    bh.consume(FrameCodec.encode(WireFixtures.REQUEST_ID, batch));
  }

  /** Only the frame step: an already encoded RecordBatch copied behind a header. */
  @Benchmark
  public void felixEncodePrebuiltBatch(Blackhole bh) {
    bh.consume(FrameCodec.encode(WireFixtures.REQUEST_ID, prebuilt));
  }

  @Benchmark
  public void jdkBulkPutReused(Blackhole bh) {
    reusedFrame.clear();
    reusedFrame.put(frameBytes);
    bh.consume(reusedFrame);
  }

  @Benchmark
  public void jdkAllocateAndPut(Blackhole bh) {
    bh.consume(ByteBuffer.allocate(frameBytes.length).put(frameBytes));
  }

  @Benchmark
  public void jdkDataOutputStream(Blackhole bh) {
    bh.consume(
        NaiveStreamCodec.encodePublishBatch(
            WireFixtures.REQUEST_ID, WireFixtures.TARGET, payloads));
  }
}
