package dev.felix.wire.message;

import dev.felix.wire.Bytes;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.Objects;

/**
 * Read a value. Answered by {@link CacheValue} (status MISS when absent or expired).
 *
 * <pre>
 * CacheRef cache
 * u16 keyLength, key          1..maxKeyBytes
 * </pre>
 */
public record CacheGet(CacheRef cache, Bytes key) implements Message {
  public CacheGet {
    Objects.requireNonNull(cache, "cache");
    CacheFields.requireKey(key);
  }

  @Override
  public MessageType type() {
    return MessageType.CACHE_GET;
  }

  @Override
  public void encode(PayloadWriter out) {
    cache.encode(out);
    out.bytes16(key);
  }

  @Override
  public int sizeHint() {
    return cache.encodedSize() + 2 + key.length();
  }

  static CacheGet decode(PayloadReader in) {
    return new CacheGet(CacheRef.decode(in), CacheFields.key(in));
  }
}
