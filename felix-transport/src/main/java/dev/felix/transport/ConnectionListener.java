package dev.felix.transport;

/**
 * Receives the streams the application did not open itself and the connection's close.
 *
 * <p><b>Threading:</b> called on the connection's event loop; must not block (see {@link
 * StreamListener}).
 */
public interface ConnectionListener {

  /**
   * A stream was opened for the application: on the server, the client's {@link StreamRole#CONTROL}
   * stream and each {@link StreamRole#REQUEST} stream; on the client, the control stream the
   * transport opened right after the handshake and each {@link StreamRole#SUBSCRIPTION} stream the
   * server opened. Return the listener for the stream's frames (it is installed before the first
   * byte is read). Must not return null.
   */
  StreamListener onStreamOpened(FrameStream stream);

  /** The connection closed; every stream has been or is being closed with it. Called once. */
  default void onClosed(TransportConnection connection, CloseReason reason) {}
}
