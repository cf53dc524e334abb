package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Bytes;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.List;
import java.util.Objects;

/**
 * Read many keys of one cache in one call. Answered by {@link CacheMultiValue} with one value per
 * key, in the same order.
 *
 * <pre>
 * CacheRef cache
 * u32 count                   1..maxBatchEntries
 * count x { u16 keyLength, key }
 * </pre>
 */
public record CacheMultiGet(CacheRef cache, List<Bytes> keys) implements Message {
  public CacheMultiGet {
    Objects.requireNonNull(cache, "cache");
    keys = List.copyOf(keys);
    if (keys.isEmpty()) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "multi-get needs at least one key");
    }
    keys.forEach(CacheFields::requireKey);
  }

  @Override
  public MessageType type() {
    return MessageType.CACHE_MULTI_GET;
  }

  @Override
  public void encode(PayloadWriter out) {
    cache.encode(out);
    out.u32(keys.size());
    for (Bytes key : keys) {
      out.bytes16(key);
    }
  }

  @Override
  public int sizeHint() {
    int size = cache.encodedSize() + 4;
    for (Bytes key : keys) {
      size += 2 + key.length();
    }
    return size;
  }

  static CacheMultiGet decode(PayloadReader in) {
    CacheRef cache = CacheRef.decode(in);
    int count = in.count("key count", in.limits().maxBatchEntries(), 3);
    Bytes[] keys = new Bytes[count];
    for (int i = 0; i < count; i++) {
      keys[i] = CacheFields.key(in);
    }
    return new CacheMultiGet(cache, List.of(keys));
  }
}
