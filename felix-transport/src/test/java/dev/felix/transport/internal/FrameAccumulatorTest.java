package dev.felix.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.MessageType;
import dev.felix.wire.WireLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Splitting a byte stream into frames: no sockets, plain buffers. */
class FrameAccumulatorTest {
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
  private final FrameAccumulator accumulator = new FrameAccumulator(WireLimits.DEFAULTS);
  private final List<ByteBuffer> frames = new ArrayList<>();

  @AfterEach
  void release() {
    accumulator.release();
  }

  @Test
  void framesSplitAtEveryPossibleBoundaryComeOutWholeAndInOrder() {
    byte[] stream = concat(frame(1, 0), frame(2, 5), frame(3, 300), frame(4, 17));
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      frames.clear();
      int offset = 0;
      while (offset < stream.length) {
        int chunk = Math.min(stream.length - offset, 1 + random.nextInt(40));
        accumulator.add(Unpooled.copiedBuffer(stream, offset, chunk), alloc);
        accumulator.drain(frames::add);
        offset += chunk;
      }
      assertThat(frames).extracting(f -> FrameHeader.requestId(f, 0)).containsExactly(1, 2, 3, 4);
      assertThat(frames).extracting(ByteBuffer::remaining).containsExactly(16, 21, 316, 33);
      assertThat(accumulator.hasPartialFrame()).isFalse();
    }
  }

  @Test
  void deliveredFramesAreReadOnlyBigEndianCopies() {
    ByteBuf in = Unpooled.wrappedBuffer(frame(7, 8));
    accumulator.add(in, alloc);
    accumulator.drain(frames::add);
    assertThat(in.refCnt()).isZero();
    ByteBuffer frame = frames.get(0);
    assertThat(frame.isReadOnly()).isTrue();
    assertThat(frame.position()).isZero();
    assertThat(FrameHeader.payloadLength(frame, 0)).isEqualTo(8);
  }

  @Test
  void oversizedHeaderIsRejectedAsSoonAsItsSixteenBytesArrive() {
    byte[] header = header(9, WireLimits.DEFAULTS.maxFramePayloadBytes() + 1);
    accumulator.add(Unpooled.wrappedBuffer(header, 0, 15), alloc);
    accumulator.drain(frames::add);
    accumulator.add(Unpooled.wrappedBuffer(header, 15, 1), alloc);
    assertThatThrownBy(() -> accumulator.drain(frames::add))
        .isInstanceOf(ProtocolException.class)
        .satisfies(
            e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
    assertThat(frames).isEmpty();
    assertThat(accumulator.bufferedBytes()).isZero();
  }

  @Test
  void framesBeforeABadHeaderAreDeliveredFirst() {
    byte[] garbage = new byte[16]; // bad magic
    accumulator.add(Unpooled.wrappedBuffer(concat(frame(1, 4), frame(2, 4), garbage)), alloc);
    assertThatThrownBy(() -> accumulator.drain(frames::add))
        .isInstanceOf(ProtocolException.class)
        .satisfies(
            e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.MALFORMED_FRAME));
    assertThat(frames).extracting(f -> FrameHeader.requestId(f, 0)).containsExactly(1, 2);
  }

  @Test
  void largeFrameArrivingInSmallPiecesIsAssembledOnce() {
    byte[] big = frame(5, 1_000_000);
    for (int offset = 0; offset < big.length; offset += 1200) {
      accumulator.add(
          Unpooled.copiedBuffer(big, offset, Math.min(1200, big.length - offset)), alloc);
      accumulator.drain(frames::add);
      if (offset + 1200 < big.length) {
        assertThat(frames).isEmpty();
        assertThat(accumulator.hasPartialFrame()).isTrue();
      }
    }
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0)).isEqualTo(ByteBuffer.wrap(big));
  }

  @Test
  void sinkCanStopDeliveryWhenItsStreamCloses() {
    accumulator.add(Unpooled.wrappedBuffer(concat(frame(1, 1), frame(2, 1), frame(3, 1))), alloc);
    accumulator.drain(frame -> frames.add(frame) && frames.size() < 2);
    assertThat(frames).hasSize(2);
  }

  static byte[] header(int requestId, int payloadBytes) {
    ByteBuffer buffer = ByteBuffer.allocate(FrameHeader.LENGTH);
    FrameHeader.write(buffer, 0, MessageType.PUBLISH, 0, payloadBytes, requestId);
    return buffer.array();
  }

  static byte[] frame(int requestId, int payloadBytes) {
    ByteBuffer buffer = ByteBuffer.allocate(FrameHeader.LENGTH + payloadBytes);
    FrameHeader.write(buffer, 0, MessageType.PUBLISH, 0, payloadBytes, requestId);
    for (int i = 0; i < payloadBytes; i++) {
      buffer.put(FrameHeader.LENGTH + i, (byte) (i * 31 + requestId));
    }
    return buffer.array();
  }

  static byte[] concat(byte[]... parts) {
    ByteBuffer out =
        ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] part : parts) {
      out.put(part);
    }
    return out.array();
  }
}
