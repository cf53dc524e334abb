package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Publish many records to one stream in one frame: the hot path for producers. Decoding validates
 * the records once and keeps them as a {@link RecordBatch} view over the frame; nothing is
 * allocated per record.
 *
 * <pre>
 * PublishTarget target   (stream, shard, producerId, sequence of the first record, ackMode)
 * u32 count              1..maxRecordsPerBatch
 * records                count records in RecordCodec layout, offset deltas 0..count-1
 * </pre>
 */
public record PublishBatch(PublishTarget target, RecordBatch records) implements Message {
  public PublishBatch {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(records, "records");
    if (records.count() == 0) {
      throw new IllegalArgumentException("a publish batch needs at least one record");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.PUBLISH_BATCH;
  }

  @Override
  public void encode(PayloadWriter out) {
    target.encode(out);
    out.u32(records.count()).raw(records.bytes());
  }

  @Override
  public int sizeHint() {
    return target.encodedSize() + 4 + records.sizeBytes();
  }

  /**
   * The frame {@code FrameCodec.encode(requestId, new PublishBatch(target,
   * RecordBatch.of(records)))} gives, byte for byte, written straight from the records: a
   * publisher's hot path then allocates one buffer per batch and copies each record once, instead
   * of building the intermediate {@link RecordBatch} first.
   *
   * @throws IllegalArgumentException when {@code records} is empty
   */
  public static ByteBuffer encodeFrame(
      int requestId, PublishTarget target, List<RecordData> records) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("a publish batch needs at least one record");
    }
    int recordBytes = 0;
    for (int i = 0; i < records.size(); i++) {
      recordBytes = Math.addExact(recordBytes, RecordCodec.encodedSize(records.get(i)));
    }
    PayloadWriter out =
        new PayloadWriter(FrameHeader.LENGTH + target.encodedSize() + 4 + recordBytes).beginFrame();
    target.encode(out);
    out.u32(records.size());
    ByteBuffer recordsOut = out.reserve(recordBytes);
    for (int i = 0; i < records.size(); i++) {
      RecordCodec.write(recordsOut, i, records.get(i));
    }
    return out.finishFrame(MessageType.PUBLISH_BATCH, requestId);
  }

  static PublishBatch decode(PayloadReader in) {
    PublishTarget target = PublishTarget.decode(in);
    int count = in.count("record count", in.limits().maxRecordsPerBatch(), RecordCodec.MIN_RECORD);
    if (count == 0) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "a publish batch needs at least one record");
    }
    return new PublishBatch(
        target, RecordBatch.wrap(in.rest(), count, RecordBatch.Kind.PUBLISH, in.limits()));
  }
}
