package dev.felix.wire.message;

import dev.felix.wire.Names;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;

/**
 * A fully scoped cache name; same layout as {@link StreamRef}.
 *
 * <pre>
 * u8 tenantLength, tenant | u8 namespaceLength, namespace | u8 cacheLength, cache   (ASCII)
 * </pre>
 */
public record CacheRef(String tenant, String namespace, String cache) {
  public CacheRef {
    Names.require("tenant", tenant);
    Names.require("namespace", namespace);
    Names.require("cache", cache);
  }

  /** A cache in tenant {@code default}, namespace {@code default}. */
  public static CacheRef of(String cache) {
    return new CacheRef(StreamRef.DEFAULT_TENANT, StreamRef.DEFAULT_NAMESPACE, cache);
  }

  static CacheRef decode(PayloadReader in) {
    return new CacheRef(in.name("tenant"), in.name("namespace"), in.name("cache"));
  }

  void encode(PayloadWriter out) {
    out.name("tenant", tenant).name("namespace", namespace).name("cache", cache);
  }

  int encodedSize() {
    return 3 + tenant.length() + namespace.length() + cache.length();
  }

  @Override
  public String toString() {
    return tenant + "/" + namespace + "/" + cache;
  }
}
