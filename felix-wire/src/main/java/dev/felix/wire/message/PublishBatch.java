package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
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
