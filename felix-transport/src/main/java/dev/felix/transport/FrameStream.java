package dev.felix.transport;

import java.nio.ByteBuffer;

/**
 * One QUIC stream carrying Felix frames.
 *
 * <p><b>Writing.</b> {@link #write(ByteBuffer)} and its gather variants may be called from any
 * thread. Frames are queued in order and moved to QUIC by the connection's event loop in batches:
 * small frames are copied into direct buffers of {@link TransportConfig#writeCoalesceBytes()} so
 * that many frames cost one QUIC write (QUIC costs 3-5x the CPU of TCP per byte here, so batching
 * decides throughput; QUIC-NOTES). A write never blocks and never fails because the peer is slow:
 * the queue grows and {@link #isWritable()} turns false above {@link
 * TransportConfig#sendQueueHighWaterMarkBytes()}; the caller bounds its own queue with that signal
 * (and {@link StreamListener#onWritabilityChanged}). Written buffers are read from their position
 * to their limit without changing either; their content must not change until written, so pass
 * shared buffers (e.g. an EventBatch's shared part) read-only and unchanged.
 *
 * <p><b>Reading.</b> Frames arrive through the {@link StreamListener} on the event loop. {@link
 * #pauseReading()} stops reading so that QUIC flow control slows the peer down.
 *
 * <p><b>Threading:</b> all methods are thread-safe; the state behind them is owned by the
 * connection's event loop.
 */
public interface FrameStream {

  /** The QUIC stream id (0 is the client's control stream). */
  long id();

  StreamRole role();

  /** The connection this stream belongs to. */
  TransportConnection connection();

  /** True when this side can write (bidirectional streams, and unidirectional ones it opened). */
  boolean canWrite();

  /**
   * Queues one complete frame (header and payload).
   *
   * @return true when queued; false when this side's output is finished, reset or closed (the frame
   *     is dropped)
   */
  boolean write(ByteBuffer frame);

  /**
   * Queues a frame made of two parts written back to back without copying them into one buffer
   * first, e.g. an EventBatch's 20-byte per-subscriber prefix and the batch's shared part.
   *
   * @return as {@link #write(ByteBuffer)}
   */
  boolean write(ByteBuffer first, ByteBuffer second);

  /**
   * Queues the parts back to back as one unit: no other writer's bytes come between them.
   *
   * @return as {@link #write(ByteBuffer)}
   */
  boolean write(ByteBuffer... parts);

  /**
   * False while more than the high-water mark of bytes wait in the send queue, until it drains to
   * the low-water mark; also false once the output is finished or closed.
   */
  boolean isWritable();

  /** Bytes queued but not yet handed to QUIC. */
  long queuedBytes();

  /**
   * Finishes this side's output (QUIC FIN) after every frame queued so far has been handed to QUIC;
   * later writes return false. Idempotent.
   */
  void finish();

  /**
   * Aborts the stream at once in both directions with an application error code (RESET_STREAM and
   * STOP_SENDING); queued frames are dropped.
   */
  void reset(int errorCode);

  /** Stops reading: received bytes stay in QUIC and its flow control makes the peer wait. */
  void pauseReading();

  /** Resumes reading after {@link #pauseReading()}. */
  void resumeReading();

  /** True until the stream is closed. */
  boolean isOpen();
}
