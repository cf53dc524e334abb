package dev.felix.storage.durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * A window of one file's bytes in a reusable direct buffer, filled by positional reads with
 * read-ahead, so that walking batch headers costs one pread per window rather than one per batch.
 *
 * <p>The window never holds bytes at or beyond the {@code validBytes} the caller passes, so bytes
 * of a failed (and truncated) write can never be served later from it. It grows only to sizes the
 * caller has checked against {@link BatchFormat#MAX_BATCH_BYTES}.
 *
 * <p>Not thread-safe; owned by one log's owner thread (or one inspection).
 */
final class ReadWindow {
  private ByteBuffer buffer;
  private FileChannel channel;
  private long start;
  private int length;

  ReadWindow(int capacity) {
    buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.BIG_ENDIAN);
  }

  ByteBuffer buffer() {
    return buffer;
  }

  /** Buffer index just past the window's bytes. */
  int limit() {
    return length;
  }

  /**
   * Makes the bytes {@code [position, position + wanted)} of the file available (fewer if the file
   * has fewer valid bytes) and returns the buffer index of {@code position}.
   */
  int load(FileChannel file, long validBytes, long position, int wanted) throws IOException {
    long available = Math.min(wanted, validBytes - position);
    if (file == channel && position >= start && position + available <= start + length) {
      return (int) (position - start);
    }
    if (wanted > buffer.capacity()) {
      buffer = ByteBuffer.allocateDirect(wanted).order(ByteOrder.BIG_ENDIAN);
    }
    channel = null;
    int toRead = (int) Math.min(buffer.capacity(), validBytes - position);
    buffer.clear().limit(toRead);
    while (buffer.hasRemaining()) {
      if (file.read(buffer, position + buffer.position()) < 0) {
        break;
      }
    }
    channel = file;
    start = position;
    length = buffer.position();
    return 0;
  }

  /** Forgets the cached bytes (after a truncation, or when a file is closed). */
  void invalidate() {
    channel = null;
    length = 0;
  }
}
