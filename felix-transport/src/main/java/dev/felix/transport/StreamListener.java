package dev.felix.transport;

import dev.felix.error.ProtocolException;
import java.nio.ByteBuffer;

/**
 * Receives what happens on one stream: complete frames, the end of the peer's data, protocol
 * errors, writability changes and the close.
 *
 * <p><b>Threading:</b> every method is called on the event loop that owns the stream's connection,
 * one call at a time and in order. Methods must not block (no disk fsync, no waiting on a future):
 * blocking there stalls every stream of every connection on that loop. Hand work that may block to
 * another thread.
 *
 * <p>An exception thrown from a method is logged and resets the stream with {@code INTERNAL}; it
 * never reaches the connection's other streams.
 */
public interface StreamListener {

  /**
   * One complete frame: its 16-byte header (validated against the configured {@link
   * dev.felix.wire.WireLimits}) and its payload, position 0, limit = frame size, big-endian,
   * read-only. Decode it with {@link dev.felix.wire.FrameCodec#decode(ByteBuffer)} or route on the
   * header without decoding.
   *
   * <p>The buffer belongs to the listener and may be kept after the call; it is a view of an array
   * shared with the frames that arrived in the same read, so keeping a small frame keeps that array
   * alive. Frames of a stream arrive in the order they were written.
   */
  void onFrame(FrameStream stream, ByteBuffer frame);

  /**
   * The peer finished its side (FIN): no more frames will arrive. On a bidirectional stream this
   * side may still write; call {@link FrameStream#finish()} when done.
   */
  default void onInputFinished(FrameStream stream) {}

  /**
   * The stream's bytes broke the wire rules: a header that is malformed or announces a payload over
   * the limit, or a stream that ended inside a frame. The stream cannot be resynchronised, so the
   * transport closes it right after this call: reading stops with the error's code (STOP_SENDING).
   * If this method writes a frame, typically the {@code Error} answer protocol.md section 1.6 asks
   * for, the output is finished after it (FIN) so that the peer reads it; otherwise the output is
   * reset with the code (RESET_STREAM). A violation on the {@link StreamRole#CONTROL} stream ends
   * the connection: close it with the code.
   */
  default void onProtocolError(FrameStream stream, ProtocolException error) {}

  /**
   * {@link FrameStream#isWritable()} changed: false when the send queue passed the high-water mark
   * (the peer reads slower than this side writes, or QUIC flow control ran out), true when it
   * drained below the low-water mark. Use it to bound per-stream queues upstream.
   */
  default void onWritabilityChanged(FrameStream stream, boolean writable) {}

  /** The stream is closed in both directions, for the given reason. Called once. */
  default void onClosed(FrameStream stream, CloseReason reason) {}
}
