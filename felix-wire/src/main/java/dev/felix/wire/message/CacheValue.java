package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Bytes;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.Objects;

/**
 * Answer to a cache call: whether the key was found, its version, its remaining TTL and (for a get)
 * its value.
 *
 * <pre>
 * u8  status                  0 MISS, 1 HIT
 * i64 version                 > 0 on HIT (strictly increasing per key), 0 on MISS
 * i64 ttlRemainingMs          -1 = never expires; else >= 0 (MISS: -1)
 * u32 valueLength, value      empty on MISS and in answers to put/delete/compare-and-set
 * </pre>
 */
public record CacheValue(boolean found, long version, long ttlRemainingMs, Bytes value)
    implements Message {
  public static final CacheValue MISS = new CacheValue(false, 0, -1, Bytes.EMPTY);

  static final int FIXED_BYTES = 1 + 8 + 8 + 4;

  public CacheValue {
    Objects.requireNonNull(value, "value");
    if (ttlRemainingMs < -1) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "ttlRemainingMs must be >= -1");
    }
    if (found ? version <= 0 : (version != 0 || ttlRemainingMs != -1 || value.length() != 0)) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "inconsistent cache value found=" + found + " version=" + version);
    }
  }

  public static CacheValue hit(long version, long ttlRemainingMs, Bytes value) {
    return new CacheValue(true, version, ttlRemainingMs, value);
  }

  @Override
  public MessageType type() {
    return MessageType.CACHE_VALUE;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u8(found ? 1 : 0).i64(version).i64(ttlRemainingMs).bytes32(value);
  }

  @Override
  public int sizeHint() {
    return FIXED_BYTES + value.length();
  }

  static CacheValue decode(PayloadReader in) {
    int status = in.u8("status");
    if (status > 1) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "unknown cache status " + status);
    }
    return new CacheValue(
        status == 1, in.i64("version"), in.i64("ttlRemainingMs"), CacheFields.value(in));
  }
}
