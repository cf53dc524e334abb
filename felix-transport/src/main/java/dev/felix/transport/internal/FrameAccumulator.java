package dev.felix.transport.internal;

import dev.felix.error.ProtocolException;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.FrameSplitter;
import dev.felix.wire.WireLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Turns the bytes of one stream into complete frames (QUIC delivers bytes, not frames).
 *
 * <p>Received buffers are appended to a cumulation; {@link #drain} finds every complete frame with
 * {@link FrameSplitter}, which validates a header as soon as its 16 bytes are present. So an
 * oversized or malformed frame is refused before its payload is buffered, and the cumulation never
 * grows beyond one frame of at most {@link WireLimits#maxFramePayloadBytes()} plus one read: no
 * allocation is ever sized by an unchecked length.
 *
 * <p>All complete frames found in one drain are copied out with a single array allocation and
 * handed out as read-only slices of it, so the listener owns them and the pooled direct memory goes
 * straight back to Netty.
 *
 * <p>Owned by the stream's event loop; not thread-safe.
 */
final class FrameAccumulator {
  /** Receives frames in stream order. */
  interface Sink {
    /** Return false to stop delivering (the stream was closed by the callee). */
    boolean onFrame(ByteBuffer frame);
  }

  private final FrameSplitter splitter;
  private ByteBuf cumulation;
  private int[] lengths = new int[64];

  /** Size of the incomplete frame at the head of the cumulation, once its header is known. */
  private int expectedFrameBytes;

  FrameAccumulator(WireLimits limits) {
    this.splitter = new FrameSplitter(limits);
  }

  /**
   * Takes ownership of {@code in}. The cumulation grows straight to the size of the frame being
   * assembled (its header has been validated, so the size is bounded), or at least doubles, so a
   * large frame arriving in many reads is copied O(size) times, not O(size squared). Consumed bytes
   * are never moved: a new buffer takes only the unread part.
   */
  void add(ByteBuf in, ByteBufAllocator alloc) {
    if (cumulation == null) {
      cumulation = in;
      return;
    }
    try {
      int needed = in.readableBytes();
      if (cumulation.writableBytes() < needed
          || cumulation.refCnt() > 1
          || cumulation.isReadOnly()) {
        int readable = cumulation.readableBytes();
        int capacity = Math.max(readable + needed, Math.max(expectedFrameBytes, 2 * readable));
        ByteBuf bigger = alloc.directBuffer(capacity);
        bigger.writeBytes(cumulation);
        cumulation.release();
        cumulation = bigger;
      }
      cumulation.writeBytes(in);
    } finally {
      in.release();
    }
  }

  /**
   * Delivers every complete frame to {@code sink}. When a header is invalid, the frames before it
   * are delivered first and then the error is thrown.
   *
   * @throws ProtocolException for the first invalid header; the stream cannot be resynchronised
   */
  void drain(Sink sink) {
    if (cumulation == null) {
      return;
    }
    ByteBuffer view =
        cumulation
            .nioBuffer(cumulation.readerIndex(), cumulation.readableBytes())
            .order(ByteOrder.BIG_ENDIAN);
    int count = 0;
    int total = 0;
    ProtocolException error = null;
    while (true) {
      view.position(total);
      int length;
      try {
        length = splitter.nextFrameLength(view);
      } catch (ProtocolException e) {
        error = e;
        break;
      }
      if (length < 0) {
        expectedFrameBytes = pendingFrameBytes(view, total);
        break;
      }
      if (count == lengths.length) {
        lengths = Arrays.copyOf(lengths, count * 2);
      }
      lengths[count++] = length;
      total += length;
    }
    if (total > 0) {
      byte[] bytes = new byte[total];
      cumulation.readBytes(bytes);
      if (!cumulation.isReadable()) {
        cumulation.release();
        cumulation = null;
      }
      ByteBuffer all = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
      int offset = 0;
      for (int i = 0; i < count; i++) {
        if (!sink.onFrame(all.slice(offset, lengths[i]))) {
          return;
        }
        offset += lengths[i];
      }
    }
    if (error != null) {
      release();
      throw error;
    }
  }

  /** True when bytes of an incomplete frame are buffered. */
  boolean hasPartialFrame() {
    return cumulation != null && cumulation.isReadable();
  }

  /** Bytes buffered for an incomplete frame. */
  int bufferedBytes() {
    return cumulation == null ? 0 : cumulation.readableBytes();
  }

  void release() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  /** The whole size of the frame starting at {@code offset} when its header is there, else 0. */
  private static int pendingFrameBytes(ByteBuffer view, int offset) {
    if (view.limit() - offset < FrameHeader.LENGTH) {
      return 0;
    }
    // The splitter validated this header against the limits before answering "incomplete".
    return FrameHeader.LENGTH + FrameHeader.payloadLength(view, offset);
  }
}
