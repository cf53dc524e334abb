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
 * Store many entries of one cache in one call. Answered by {@link CacheMultiValue} with each
 * entry's new version, in the same order.
 *
 * <pre>
 * CacheRef cache
 * u32 count                   1..maxBatchEntries
 * count x { u16 keyLength, key, u32 valueLength, value, i64 ttlMs }
 * </pre>
 */
public record CacheMultiPut(CacheRef cache, List<Entry> entries) implements Message {
  /**
   * One entry to store.
   *
   * @param key 1..maxKeyBytes
   * @param value the value
   * @param ttlMs 0 = the cache's default TTL
   */
  public record Entry(Bytes key, Bytes value, long ttlMs) {
    public Entry {
      CacheFields.requireKey(key);
      Objects.requireNonNull(value, "value");
      CacheFields.requireTtl(ttlMs);
    }
  }

  public CacheMultiPut {
    Objects.requireNonNull(cache, "cache");
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "multi-put needs at least one entry");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.CACHE_MULTI_PUT;
  }

  @Override
  public void encode(PayloadWriter out) {
    cache.encode(out);
    out.u32(entries.size());
    for (Entry entry : entries) {
      out.bytes16(entry.key()).bytes32(entry.value()).i64(entry.ttlMs());
    }
  }

  @Override
  public int sizeHint() {
    int size = cache.encodedSize() + 4;
    for (Entry entry : entries) {
      size += 2 + entry.key().length() + 4 + entry.value().length() + 8;
    }
    return size;
  }

  static CacheMultiPut decode(PayloadReader in) {
    CacheRef cache = CacheRef.decode(in);
    int count = in.count("entry count", in.limits().maxBatchEntries(), 2 + 1 + 4 + 8);
    Entry[] entries = new Entry[count];
    for (int i = 0; i < count; i++) {
      entries[i] = new Entry(CacheFields.key(in), CacheFields.value(in), in.i64("ttlMs"));
    }
    return new CacheMultiPut(cache, List.of(entries));
  }
}
