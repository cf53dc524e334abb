package dev.felix.wire.message;

import dev.felix.wire.Names;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;

/**
 * A fully scoped stream name. Every data-plane message names its tenant and namespace, so scoping
 * holds from the first wire byte.
 *
 * <pre>
 * u8 tenantLength, tenant | u8 namespaceLength, namespace | u8 streamLength, stream   (ASCII)
 * </pre>
 */
public record StreamRef(String tenant, String namespace, String stream) {
  public static final String DEFAULT_TENANT = "default";
  public static final String DEFAULT_NAMESPACE = "default";

  public StreamRef {
    Names.require("tenant", tenant);
    Names.require("namespace", namespace);
    Names.require("stream", stream);
  }

  /** A stream in tenant {@code default}, namespace {@code default}. */
  public static StreamRef of(String stream) {
    return new StreamRef(DEFAULT_TENANT, DEFAULT_NAMESPACE, stream);
  }

  static StreamRef decode(PayloadReader in) {
    return new StreamRef(in.name("tenant"), in.name("namespace"), in.name("stream"));
  }

  void encode(PayloadWriter out) {
    out.name("tenant", tenant).name("namespace", namespace).name("stream", stream);
  }

  int encodedSize() {
    return 3 + tenant.length() + namespace.length() + stream.length();
  }

  @Override
  public String toString() {
    return tenant + "/" + namespace + "/" + stream;
  }
}
