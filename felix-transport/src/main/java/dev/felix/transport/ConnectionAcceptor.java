package dev.felix.transport;

/**
 * Decides what to do with each new server-side connection once its QUIC and TLS handshake
 * (including ALPN {@code felix/1}) has completed.
 *
 * <p><b>Threading:</b> called on the connection's event loop; must not block.
 */
@FunctionalInterface
public interface ConnectionAcceptor {
  /**
   * Returns the listener for the connection's streams and close. To refuse the connection, call
   * {@link TransportConnection#close(int, String)} and still return a listener.
   */
  ConnectionListener onConnection(TransportConnection connection);
}
