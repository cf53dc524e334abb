package dev.felix.bench.wire;

import dev.felix.wire.FrameHeader;
import dev.felix.wire.FrameSplitter;
import dev.felix.wire.WireLimits;
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
 * Receive side, before decoding: {@link FrameSplitter} finding the boundaries of many PublishBatch
 * frames in one cumulative buffer, validating each 16-byte header on the way. The cost is per frame
 * and independent of frame size; it must allocate nothing on a big-endian buffer.
 *
 * <p>Baseline: {@code jdkUncheckedSplit} follows the same length fields with absolute gets and
 * validates nothing (the floor).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameSplitterBenchmark {
  @Param({"1000"})
  public int framesPerBuffer;

  @Param({"1", "64"})
  public int recordsPerBatch;

  @Param({"100"})
  public int payloadBytes;

  private final FrameSplitter splitter = new FrameSplitter(WireLimits.DEFAULTS);
  private ByteBuffer stream;

  @Setup
  public void setUp() {
    byte[] frame = WireFixtures.publishFrame(recordsPerBatch, payloadBytes);
    stream = ByteBuffer.allocate(frame.length * framesPerBuffer);
    for (int i = 0; i < framesPerBuffer; i++) {
      stream.put(frame);
    }
    stream.flip();
    if (splitAll() != framesPerBuffer || uncheckedSplit() != framesPerBuffer) {
      throw new IllegalStateException("did not find every frame");
    }
  }

  @Benchmark
  public void felixSplitAll(Blackhole bh) {
    bh.consume(splitAll());
  }

  @Benchmark
  public void jdkUncheckedSplit(Blackhole bh) {
    bh.consume(uncheckedSplit());
  }

  private int splitAll() {
    stream.position(0);
    int frames = 0;
    int length;
    while ((length = splitter.nextFrameLength(stream)) > 0) {
      stream.position(stream.position() + length);
      frames++;
    }
    return frames;
  }

  private int uncheckedSplit() {
    int frames = 0;
    int position = 0;
    int end = stream.limit();
    while (end - position >= FrameHeader.LENGTH) {
      int frameLength = FrameHeader.LENGTH + stream.getInt(position + FrameHeader.LENGTH_OFFSET);
      if (end - position < frameLength) {
        break;
      }
      position += frameLength;
      frames++;
    }
    return frames;
  }
}
