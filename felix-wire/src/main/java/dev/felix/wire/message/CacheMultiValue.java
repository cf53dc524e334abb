package dev.felix.wire.message;

import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.List;

/**
 * Answer to {@link CacheMultiGet} or {@link CacheMultiPut}: one value per requested key, in request
 * order, each in the {@link CacheValue} layout.
 *
 * <pre>
 * u32 count
 * count x { u8 status, i64 version, i64 ttlRemainingMs, u32 valueLength, value }
 * </pre>
 */
public record CacheMultiValue(List<CacheValue> values) implements Message {
  public CacheMultiValue {
    values = List.copyOf(values);
  }

  @Override
  public MessageType type() {
    return MessageType.CACHE_MULTI_VALUE;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u32(values.size());
    for (CacheValue value : values) {
      value.encode(out);
    }
  }

  @Override
  public int sizeHint() {
    int size = 4;
    for (CacheValue value : values) {
      size += value.sizeHint();
    }
    return size;
  }

  static CacheMultiValue decode(PayloadReader in) {
    int count = in.count("value count", in.limits().maxBatchEntries(), CacheValue.FIXED_BYTES);
    CacheValue[] values = new CacheValue[count];
    for (int i = 0; i < count; i++) {
      values[i] = CacheValue.decode(in);
    }
    return new CacheMultiValue(List.of(values));
  }
}
