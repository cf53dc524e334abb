package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.Objects;

/**
 * The part shared by {@link Publish} and {@link PublishBatch}: where the records go and how they
 * are acknowledged.
 *
 * <pre>
 * StreamRef stream
 * i32 shard          -1: the broker picks (key hash, else round robin); else 0..shards-1
 * i64 producerId     0: not idempotent; else the producer's id for de-duplication
 * i64 sequence       producer sequence of the first record (>= 0; 0 when producerId is 0)
 * u8  ackMode        0 NONE, 1 LEADER (2 QUORUM reserved)
 * </pre>
 */
public record PublishTarget(
    StreamRef stream, int shard, long producerId, long sequence, AckMode ackMode) {
  public static final int ANY_SHARD = -1;

  public PublishTarget {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(ackMode, "ackMode");
    if (shard < ANY_SHARD) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "shard must be >= -1: " + shard);
    }
    if (producerId < 0 || sequence < 0 || (producerId == 0 && sequence != 0)) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "producerId and sequence must be >= 0, sequence 0 without a producer: "
              + producerId
              + "/"
              + sequence);
    }
  }

  /** Broker-chosen shard, no idempotence. */
  public static PublishTarget of(StreamRef stream, AckMode ackMode) {
    return new PublishTarget(stream, ANY_SHARD, 0, 0, ackMode);
  }

  static PublishTarget decode(PayloadReader in) {
    return new PublishTarget(
        StreamRef.decode(in),
        in.i32("shard"),
        in.i64("producerId"),
        in.i64("sequence"),
        AckMode.fromCode(in.u8("ackMode")));
  }

  void encode(PayloadWriter out) {
    stream.encode(out);
    out.i32(shard).i64(producerId).i64(sequence).u8(ackMode.code());
  }

  int encodedSize() {
    return stream.encodedSize() + 4 + 8 + 8 + 1;
  }
}
