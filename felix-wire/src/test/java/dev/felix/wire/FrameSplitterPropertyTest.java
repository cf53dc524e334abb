package dev.felix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The splitter over a byte stream that arrives in arbitrary pieces, the way QUIC and TCP deliver
 * it: the frames found never depend on how the bytes were chunked.
 */
class FrameSplitterPropertyTest {
  @Property(tries = 100)
  void findsTheSameFramesWhateverTheChunking(
      @ForAll("frameLists") List<byte[]> frames,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 300) Integer> chunkSizes) {
    byte[] stream = concat(frames);

    List<byte[]> found = splitCompletely(stream, chunkSizes);

    assertThat(found).hasSameSizeAs(frames);
    for (int i = 0; i < frames.size(); i++) {
      assertThat(found.get(i)).as("frame %d", i).isEqualTo(frames.get(i));
    }
  }

  @Property(tries = 30)
  void byteByByteDeliveryFindsEveryFrame(@ForAll("frameLists") List<byte[]> frames) {
    List<byte[]> found = splitCompletely(concat(frames), List.of(1));

    assertThat(found).hasSameSizeAs(frames);
  }

  @Property(tries = 100)
  void aCorruptedStreamYieldsFramesOrAProtocolExceptionOnly(
      @ForAll("frameLists") List<byte[]> frames,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position,
      @ForAll byte value,
      @ForAll @IntRange(min = 1, max = 64) int chunkSize) {
    byte[] stream = concat(frames);
    stream[position % stream.length] = value;

    try {
      // A damaged length may leave the last frame incomplete: bytes left over are fine here.
      for (byte[] frame : split(stream, List.of(chunkSize))) {
        FrameCodecPropertyTest.decodeTotally(frame);
      }
    } catch (ProtocolException expected) {
      assertThat(expected.code()).isNotNull();
    }
  }

  /**
   * Feeds {@code stream} to a splitter in pieces of the given sizes (cycled), the way a transport
   * handler does with a cumulative buffer: append, take every complete frame from the read index,
   * wait for more. Bytes of an incomplete last frame stay pending.
   */
  static List<byte[]> split(byte[] stream, List<Integer> chunkSizes) {
    FrameSplitter splitter = new FrameSplitter(WireArbitraries.LIMITS);
    byte[] cumulation = new byte[stream.length];
    int readIndex = 0;
    int writeIndex = 0;
    int chunk = 0;
    List<byte[]> found = new ArrayList<>();
    while (writeIndex < stream.length) {
      int size = Math.min(chunkSizes.get(chunk++ % chunkSizes.size()), stream.length - writeIndex);
      System.arraycopy(stream, writeIndex, cumulation, writeIndex, size);
      writeIndex += size;
      int length;
      while ((length =
              splitter.nextFrameLength(
                  ByteBuffer.wrap(cumulation, readIndex, writeIndex - readIndex)))
          > 0) {
        found.add(Arrays.copyOfRange(cumulation, readIndex, readIndex + length));
        readIndex += length;
      }
      assertThat(length).isEqualTo(-1);
    }
    return found;
  }

  /** Like {@link #split} for an undamaged stream: no bytes may be left over. */
  static List<byte[]> splitCompletely(byte[] stream, List<Integer> chunkSizes) {
    List<byte[]> found = split(stream, chunkSizes);
    int total = 0;
    for (byte[] frame : found) {
      total += frame.length;
    }
    assertThat(total).as("bytes in complete frames").isEqualTo(stream.length);
    return found;
  }

  private static byte[] concat(List<byte[]> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] frame : frames) {
      out.write(frame, 0, frame.length);
    }
    return out.toByteArray();
  }

  @Provide
  Arbitrary<List<byte[]>> frameLists() {
    return WireArbitraries.frames().list().ofMinSize(1).ofMaxSize(6);
  }
}
