package dev.felix.wire.message;

import dev.felix.wire.Bytes;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.Objects;

/**
 * Remove a key. Answered by {@link CacheValue}: HIT when the key existed, MISS otherwise.
 *
 * <pre>
 * CacheRef cache
 * u16 keyLength, key          1..maxKeyBytes
 * </pre>
 */
public record CacheDelete(CacheRef cache, Bytes key) implements Message {
  public CacheDelete {
    Objects.requireNonNull(cache, "cache");
    CacheFields.requireKey(key);
  }

  @Override
  public MessageType type() {
    return MessageType.CACHE_DELETE;
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

  static CacheDelete decode(PayloadReader in) {
    return new CacheDelete(CacheRef.decode(in), CacheFields.key(in));
  }
}
