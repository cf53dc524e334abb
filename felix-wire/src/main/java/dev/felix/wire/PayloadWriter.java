package dev.felix.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a frame (header, then payload) into a growing heap buffer. A publisher's batch is written
 * record by record straight into it ({@link #reserve}, {@code PublishBatch.encodeFrame}), without
 * an intermediate record buffer.
 *
 * <p>Writers check what they are given (lengths that must fit u8/u16/u32) so that encoding a
 * message can never produce bytes its own decoder would reject for size reasons.
 */
public final class PayloadWriter {
  private ByteBuffer buffer;

  public PayloadWriter(int initialCapacity) {
    buffer = ByteBuffer.allocate(Math.max(64, initialCapacity)).order(ByteOrder.BIG_ENDIAN);
  }

  /**
   * Begins a frame in this new writer: skips the room of its header (written by {@link
   * #finishFrame}, once the payload length is known), so the payload comes next.
   */
  public PayloadWriter beginFrame() {
    ensure(FrameHeader.LENGTH).position(FrameHeader.LENGTH);
    return this;
  }

  /** The frame begun by {@link #beginFrame}, its header written: position 0, limit its end. */
  public ByteBuffer finishFrame(MessageType type, int requestId) {
    ByteBuffer frame = flip();
    FrameHeader.write(frame, 0, type, 0, frame.limit() - FrameHeader.LENGTH, requestId);
    return frame;
  }

  public PayloadWriter u8(int value) {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException("u8 out of range: " + value);
    }
    ensure(1).put((byte) value);
    return this;
  }

  public PayloadWriter u16(int value) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException("u16 out of range: " + value);
    }
    ensure(2).putShort((short) value);
    return this;
  }

  public PayloadWriter u32(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("u32 field out of range: " + value);
    }
    ensure(4).putInt(value);
    return this;
  }

  public PayloadWriter i32(int value) {
    ensure(4).putInt(value);
    return this;
  }

  public PayloadWriter i64(long value) {
    ensure(8).putLong(value);
    return this;
  }

  /** u8 length + ASCII; {@code name} must satisfy {@link Names}. */
  public PayloadWriter name(String field, String name) {
    Names.require(field, name);
    ensure(1 + name.length()).put((byte) name.length());
    for (int i = 0; i < name.length(); i++) {
      buffer.put((byte) name.charAt(i));
    }
    return this;
  }

  /** u16 length + UTF-8. */
  public PayloadWriter string(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    u16(utf8.length);
    ensure(utf8.length).put(utf8);
    return this;
  }

  public PayloadWriter bytes16(Bytes value) {
    u16(value.length());
    value.writeTo(ensure(value.length()));
    return this;
  }

  public PayloadWriter bytes32(Bytes value) {
    u32(value.length());
    value.writeTo(ensure(value.length()));
    return this;
  }

  /**
   * Makes room for {@code bytes} more and returns the writer's own buffer, positioned where they
   * go: the caller writes (or skips) exactly that many through it, and asks for nothing else until
   * done (a later call may move the writer to a larger buffer).
   */
  public ByteBuffer reserve(int bytes) {
    return ensure(bytes);
  }

  /** Copies the remaining bytes of {@code bytes} without a length prefix. */
  public PayloadWriter raw(ByteBuffer bytes) {
    ensure(bytes.remaining()).put(bytes.duplicate());
    return this;
  }

  public int position() {
    return buffer.position();
  }

  /** Writes {@code value} at an absolute position already written (to patch a length). */
  public void putIntAt(int index, int value) {
    buffer.putInt(index, value);
  }

  /** The bytes written so far, as a new array. */
  public byte[] toArray() {
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  /** A buffer over the bytes written so far (position 0, limit = bytes written); no copy. */
  public ByteBuffer flip() {
    ByteBuffer out = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
    out.flip();
    return out;
  }

  private ByteBuffer ensure(int bytes) {
    if (buffer.remaining() < bytes) {
      long needed = (long) buffer.position() + bytes;
      long capacity = Math.max(needed, (long) buffer.capacity() * 2);
      if (capacity > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("frame too large to encode: " + needed + " bytes");
      }
      ByteBuffer grown = ByteBuffer.allocate((int) capacity).order(ByteOrder.BIG_ENDIAN);
      buffer.flip();
      grown.put(buffer);
      buffer = grown;
    }
    return buffer;
  }
}
