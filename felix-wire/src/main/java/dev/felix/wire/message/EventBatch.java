package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Records delivered to a subscription. Only the first four payload bytes (the subscription id)
 * differ between subscribers; everything after them is the <em>shared part</em>, encoded once per
 * batch by {@link #encodeShared} and sent to every subscriber of the shard behind a 20-byte
 * per-subscriber prefix written by {@link #writePrefix}. Record offsets are {@code baseOffset +
 * offsetDelta}.
 *
 * <pre>
 * u32 subscriptionId          -- per subscriber
 * ---------------------------    shared part
 * StreamRef stream
 * i32 shard                   >= 0
 * i64 baseOffset              offset of the first record, >= 0
 * u32 count                   1..maxRecordsPerBatch
 * records                     RecordCodec layout; first delta 0, then strictly increasing
 * </pre>
 */
public record EventBatch(
    int subscriptionId, StreamRef stream, int shard, long baseOffset, RecordBatch records)
    implements Message {

  /** Frame header plus subscription id: the only bytes written per subscriber. */
  public static final int PREFIX_BYTES = FrameHeader.LENGTH + 4;

  public EventBatch {
    SubscriptionIds.require(subscriptionId);
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(records, "records");
    requireShape(shard, baseOffset, records.count());
  }

  @Override
  public MessageType type() {
    return MessageType.EVENT_BATCH;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u32(subscriptionId);
    stream.encode(out);
    out.i32(shard).i64(baseOffset).u32(records.count()).raw(records.bytes());
  }

  @Override
  public int sizeHint() {
    return 4 + sharedSize(stream, records);
  }

  /**
   * Encodes the shared part once for all subscribers of a shard. The result (position 0) is
   * read-only; send {@code duplicate()}s of it.
   */
  public static ByteBuffer encodeShared(
      StreamRef stream, int shard, long baseOffset, RecordBatch records) {
    requireShape(shard, baseOffset, records.count());
    ByteBuffer out = ByteBuffer.allocate(sharedSize(stream, records)).order(ByteOrder.BIG_ENDIAN);
    writeName(out, stream.tenant());
    writeName(out, stream.namespace());
    writeName(out, stream.stream());
    out.putInt(shard).putLong(baseOffset).putInt(records.count()).put(records.bytes());
    out.flip();
    return out.asReadOnlyBuffer();
  }

  /**
   * Writes the per-subscriber prefix (frame header and subscription id) at absolute {@code index};
   * the shared part of {@code sharedLength} bytes must follow it on the wire.
   */
  public static void writePrefix(ByteBuffer out, int index, int subscriptionId, int sharedLength) {
    SubscriptionIds.require(subscriptionId);
    FrameHeader.write(out, index, MessageType.EVENT_BATCH, 0, 4 + sharedLength, 0);
    out.putInt(index + FrameHeader.LENGTH, subscriptionId);
  }

  static EventBatch decode(PayloadReader in) {
    int subscriptionId = in.u32("subscriptionId");
    StreamRef stream = StreamRef.decode(in);
    int shard = in.i32("shard");
    long baseOffset = in.i64("baseOffset");
    int count = in.count("record count", in.limits().maxRecordsPerBatch(), RecordCodec.MIN_RECORD);
    RecordBatch records = RecordBatch.wrap(in.rest(), count, RecordBatch.Kind.EVENT, in.limits());
    return new EventBatch(subscriptionId, stream, shard, baseOffset, records);
  }

  private static int sharedSize(StreamRef stream, RecordBatch records) {
    return stream.encodedSize() + 4 + 8 + 4 + records.sizeBytes();
  }

  private static void requireShape(int shard, long baseOffset, int count) {
    if (shard < 0 || baseOffset < 0 || count < 1) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "event batch needs shard >= 0, baseOffset >= 0 and records: "
              + shard
              + "/"
              + baseOffset
              + "/"
              + count);
    }
  }

  private static void writeName(ByteBuffer out, String name) {
    out.put((byte) name.length());
    for (int i = 0; i < name.length(); i++) {
      out.put((byte) name.charAt(i));
    }
  }
}
