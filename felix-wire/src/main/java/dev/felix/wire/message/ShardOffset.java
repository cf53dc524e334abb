package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;

/**
 * A position in one shard: {@code i32 shard, i64 offset} (12 bytes).
 *
 * @param shard shard index, >= 0
 * @param offset record offset, >= 0
 */
public record ShardOffset(int shard, long offset) {
  static final int BYTES = 12;

  public ShardOffset {
    if (shard < 0 || offset < 0) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "shard and offset must be >= 0: " + shard + "/" + offset);
    }
  }

  static ShardOffset decode(PayloadReader in) {
    return new ShardOffset(in.i32("shard"), in.i64("offset"));
  }

  void encode(PayloadWriter out) {
    out.i32(shard).i64(offset);
  }
}
