package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Bytes;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.Objects;

/**
 * Store a value only if the entry's current version is {@code expectedVersion}; version 0 means
 * "only if absent" (put-if-absent). Answered by {@link CacheValue} with the new version, or by an
 * Error with code CONFLICT when the version did not match.
 *
 * <pre>
 * CacheRef cache
 * u16 keyLength, key          1..maxKeyBytes
 * i64 expectedVersion         0 = absent, else the version returned by a get or put
 * u32 valueLength, value
 * i64 ttlMs                   0 = the cache's default TTL
 * </pre>
 */
public record CacheCompareAndSet(
    CacheRef cache, Bytes key, long expectedVersion, Bytes value, long ttlMs) implements Message {
  /** The expected version meaning "the key must be absent". */
  public static final long ABSENT = 0;

  public CacheCompareAndSet {
    Objects.requireNonNull(cache, "cache");
    CacheFields.requireKey(key);
    if (expectedVersion < 0) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "expectedVersion must be >= 0: " + expectedVersion);
    }
    Objects.requireNonNull(value, "value");
    CacheFields.requireTtl(ttlMs);
  }

  @Override
  public MessageType type() {
    return MessageType.CACHE_COMPARE_AND_SET;
  }

  @Override
  public void encode(PayloadWriter out) {
    cache.encode(out);
    out.bytes16(key).i64(expectedVersion).bytes32(value).i64(ttlMs);
  }

  @Override
  public int sizeHint() {
    return cache.encodedSize() + 2 + key.length() + 8 + 4 + value.length() + 8;
  }

  static CacheCompareAndSet decode(PayloadReader in) {
    return new CacheCompareAndSet(
        CacheRef.decode(in),
        CacheFields.key(in),
        in.i64("expectedVersion"),
        CacheFields.value(in),
        in.i64("ttlMs"));
  }
}
