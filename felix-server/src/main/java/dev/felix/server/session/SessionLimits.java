package dev.felix.server.session;

/**
 * Per-connection bounds, announced to the client in HelloOk.
 *
 * @param maxInflightPublishBytes publish frame bytes appended but not yet acknowledged; above it
 *     the server stops reading the connection's control stream, so QUIC flow control slows the
 *     publisher instead of the server buffering without bound
 * @param maxSubscriptions open subscriptions per connection; one more is refused with
 *     LIMIT_EXCEEDED
 * @param idleTimeoutMs announced idle timeout (the transport enforces it)
 */
public record SessionLimits(int maxInflightPublishBytes, int maxSubscriptions, int idleTimeoutMs) {
  public static final int DEFAULT_MAX_INFLIGHT_PUBLISH_BYTES = 16 * 1024 * 1024;
  public static final int DEFAULT_MAX_SUBSCRIPTIONS = 1024;

  public SessionLimits {
    if (maxInflightPublishBytes < 64 * 1024) {
      throw new IllegalArgumentException(
          "maxInflightPublishBytes must be at least 65536, was " + maxInflightPublishBytes);
    }
    if (maxSubscriptions < 1) {
      throw new IllegalArgumentException("maxSubscriptions must be at least 1");
    }
  }
}
