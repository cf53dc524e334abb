package dev.felix.transport;

/**
 * What a stream carries in the Felix stream layout (DESIGN.md section 2). The role follows from who
 * opened the stream and its direction, so both peers agree on it without any handshake.
 */
public enum StreamRole {
  /**
   * The one bidirectional stream per connection, opened by the client right after the handshake
   * (QUIC stream id 0): hello/auth, publish, acks, subscribe and unsubscribe requests, queue acks.
   */
  CONTROL,
  /** A client-opened bidirectional stream for one or more request/response calls (cache). */
  REQUEST,
  /**
   * A server-opened unidirectional stream carrying one subscription's events, so that a slow
   * subscription never blocks another.
   */
  SUBSCRIPTION
}
