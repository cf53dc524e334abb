package dev.felix.broker;

import dev.felix.wire.FrameHeader;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.StreamRef;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One event batch, encoded once by {@link EventBatch#encodeShared} and shared read-only by every
 * subscriber it goes to: a subscriber's frame is the 20-byte prefix ({@link #writePrefix}) followed
 * by {@link #shared()}. Immutable and safe to pass between threads.
 */
public final class SharedEvents {
  private final StreamRef stream;
  private final int shard;
  private final long baseOffset;
  private final int recordCount;
  private final ByteBuffer shared;
  private final long encodedAtNanos;

  /**
   * Wraps an already encoded shared part.
   *
   * @param shared the result of {@link EventBatch#encodeShared} (read-only, position 0)
   * @param encodedAtNanos the broker clock's {@code nanoTime()} when it was encoded
   */
  public SharedEvents(
      StreamRef stream,
      int shard,
      long baseOffset,
      int recordCount,
      ByteBuffer shared,
      long encodedAtNanos) {
    this.stream = Objects.requireNonNull(stream, "stream");
    this.shard = shard;
    this.baseOffset = baseOffset;
    this.recordCount = recordCount;
    this.shared = shared.asReadOnlyBuffer();
    this.encodedAtNanos = encodedAtNanos;
  }

  /**
   * The broker clock's {@code nanoTime()} when this batch was encoded. For a live batch that is
   * when the shard flushed, at most the batching delay after its records were appended, so {@code
   * now - encodedAtNanos} at the sink measures the broker's queueing and sending; for a catch-up
   * batch it is when the backlog was read.
   */
  public long encodedAtNanos() {
    return encodedAtNanos;
  }

  public StreamRef stream() {
    return stream;
  }

  public int shard() {
    return shard;
  }

  /** Offset of the first record. */
  public long baseOffset() {
    return baseOffset;
  }

  public int recordCount() {
    return recordCount;
  }

  /** Offset after the last record. */
  public long nextOffset() {
    return baseOffset + recordCount;
  }

  /** A fresh read-only view (position 0) of the shared part; the bytes are not copied. */
  public ByteBuffer shared() {
    return shared.duplicate();
  }

  /** Bytes of the shared part. */
  public int sharedLength() {
    return shared.limit();
  }

  /** Bytes of one subscriber's whole frame: prefix plus shared part. */
  public int frameLength() {
    return EventBatch.PREFIX_BYTES + shared.limit();
  }

  /** Writes one subscriber's 20-byte prefix (frame header, subscription id) at {@code index}. */
  public void writePrefix(ByteBuffer out, int index, int subscriptionId) {
    EventBatch.writePrefix(out, index, subscriptionId, shared.limit());
  }

  /** One subscriber's complete frame in a new buffer (copies; for tests and simple sinks). */
  public ByteBuffer toFrame(int subscriptionId) {
    ByteBuffer frame = ByteBuffer.allocate(frameLength()).order(ByteOrder.BIG_ENDIAN);
    writePrefix(frame, 0, subscriptionId);
    frame.position(FrameHeader.LENGTH + 4).put(shared());
    return frame.flip();
  }

  @Override
  public String toString() {
    return "SharedEvents["
        + stream
        + " shard "
        + shard
        + " offsets "
        + baseOffset
        + ".."
        + (nextOffset() - 1)
        + ", "
        + shared.limit()
        + " bytes]";
  }
}
