package dev.felix.wire.message;

import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.List;
import java.util.Objects;

/**
 * Publish one record.
 *
 * <pre>
 * PublishTarget target   (stream, shard, producerId, sequence, ackMode)
 * record                 one record in RecordCodec layout, offset delta 0, to the end of the payload
 * </pre>
 */
public record Publish(PublishTarget target, RecordData record) implements Message {
  public Publish {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(record, "record");
  }

  @Override
  public MessageType type() {
    return MessageType.PUBLISH;
  }

  @Override
  public void encode(PayloadWriter out) {
    target.encode(out);
    out.raw(RecordBatch.of(List.of(record)).bytes());
  }

  @Override
  public int sizeHint() {
    return target.encodedSize() + RecordCodec.encodedSize(record);
  }

  static Publish decode(PayloadReader in) {
    PublishTarget target = PublishTarget.decode(in);
    RecordBatch one = RecordBatch.wrap(in.rest(), 1, RecordBatch.Kind.PUBLISH, in.limits());
    return new Publish(target, one.toRecords().get(0));
  }
}
