package dev.felix.bench.shape;

import java.nio.ByteBuffer;

/**
 * The bytes of one modelled call, sized like W4's get: a 32-byte request (about a key and a frame
 * header) and a 1 KiB answer (the value). Both start with the caller's slot (which of the hand-off
 * shape's waiting threads it belongs to) and the call's sequence number.
 *
 * <pre>
 *   0: int  slot       4: int  reserved (0)     8: long sequence     16: padding to the size
 * </pre>
 */
final class CallFormat {
  static final int REQUEST_BYTES = 32;
  static final int ANSWER_BYTES = 1024;
  private static final int SLOT_OFFSET = 0;
  private static final int SEQUENCE_OFFSET = 8;

  private CallFormat() {}

  /** Writes a request at the buffer's position and advances past it. */
  static void writeRequest(ByteBuffer buffer, int slot, long sequence) {
    write(buffer, slot, sequence, REQUEST_BYTES);
  }

  /** Writes an answer at the buffer's position and advances past it. */
  static void writeAnswer(ByteBuffer buffer, int slot, long sequence) {
    write(buffer, slot, sequence, ANSWER_BYTES);
  }

  private static void write(ByteBuffer buffer, int slot, long sequence, int size) {
    int at = buffer.position();
    buffer.putInt(at + SLOT_OFFSET, slot);
    buffer.putInt(at + 4, 0);
    buffer.putLong(at + SEQUENCE_OFFSET, sequence);
    buffer.position(at + size);
  }

  static int slotAt(ByteBuffer buffer, int at) {
    return buffer.getInt(at + SLOT_OFFSET);
  }

  static long sequenceAt(ByteBuffer buffer, int at) {
    return buffer.getLong(at + SEQUENCE_OFFSET);
  }
}
