package dev.felix.wire.message;

import dev.felix.wire.Bytes;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.Objects;

/**
 * Store a value. Answered by {@link CacheValue} with the entry's new version (value empty).
 *
 * <pre>
 * CacheRef cache
 * u16 keyLength, key          1..maxKeyBytes
 * u32 valueLength, value
 * i64 ttlMs                   0 = the cache's default TTL, else milliseconds (capped by the cache)
 * </pre>
 */
public record CachePut(CacheRef cache, Bytes key, Bytes value, long ttlMs) implements Message {
  public CachePut {
    Objects.requireNonNull(cache, "cache");
    CacheFields.requireKey(key);
    Objects.requireNonNull(value, "value");
    CacheFields.requireTtl(ttlMs);
  }

  @Override
  public MessageType type() {
    return MessageType.CACHE_PUT;
  }

  @Override
  public void encode(PayloadWriter out) {
    cache.encode(out);
    out.bytes16(key).bytes32(value).i64(ttlMs);
  }

  @Override
  public int sizeHint() {
    return cache.encodedSize() + 2 + key.length() + 4 + value.length() + 8;
  }

  static CachePut decode(PayloadReader in) {
    return new CachePut(
        CacheRef.decode(in), CacheFields.key(in), CacheFields.value(in), in.i64("ttlMs"));
  }
}
