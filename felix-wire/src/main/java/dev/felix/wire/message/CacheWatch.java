package dev.felix.wire.message;

import dev.felix.wire.Bytes;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.Objects;

/**
 * Opens a watch on the keys of a cache that start with {@code prefix} (empty: every key). Sent as
 * the first frame of a request stream of its own; the server answers on that stream with {@link
 * CacheChanges} frames carrying the request id (the snapshot, its end marker, then every later
 * change) until the client finishes the stream or the server ends the watch with an Error.
 *
 * <pre>
 * CacheRef cache
 * u16 prefixLength, prefix    0..maxKeyBytes
 * </pre>
 */
public record CacheWatch(CacheRef cache, Bytes prefix) implements Message {
  public CacheWatch {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(prefix, "prefix");
  }

  @Override
  public MessageType type() {
    return MessageType.CACHE_WATCH;
  }

  @Override
  public void encode(PayloadWriter out) {
    cache.encode(out);
    out.bytes16(prefix);
  }

  @Override
  public int sizeHint() {
    return cache.encodedSize() + 2 + prefix.length();
  }

  static CacheWatch decode(PayloadReader in) {
    return new CacheWatch(CacheRef.decode(in), in.bytes16("prefix", in.limits().maxKeyBytes()));
  }
}
