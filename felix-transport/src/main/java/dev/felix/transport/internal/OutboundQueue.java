package dev.felix.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The send side of one stream: a queue any thread may write to, drained to quiche by the stream's
 * event loop in batches.
 *
 * <p><b>Why a queue of our own.</b> Every write Netty QUIC hands to quiche is a JNI call followed
 * by packet generation and a UDP flush, so a write per small frame is what makes QUIC 3-5x as
 * expensive as TCP here (QUIC-NOTES). Producers only enqueue; one drain task, scheduled when the
 * queue was idle, copies everything queued meanwhile into direct buffers of {@code coalesceBytes}
 * and writes those: many frames, few QUIC writes. Direct buffers of 64 KiB or more go through
 * without a copy. Heap buffers are copied once, which Netty would do anyway (quiche reads native
 * memory only).
 *
 * <p><b>Writability.</b> The drain stops while the Netty stream channel is unwritable, which
 * follows quiche's stream capacity, i.e. QUIC flow control (QUIC-NOTES trap 7); bytes then wait
 * here. {@link #isWritable()} turns false when the queue passes the high-water mark and true again
 * at the low-water mark. Producers only ever set the unwritable flag, and a drain always runs after
 * they set it (they set it before scheduling one); only the drain clears it and reports changes, so
 * the reported state cannot get stuck.
 *
 * <p><b>Threads.</b> {@link #enqueue}, {@link #finish}, {@link #close} and the getters: any thread.
 * {@link #drain} and the {@link Owner} callbacks: the channel's event loop only.
 */
// Channel writes report failure through their listener; close() reports through channel events.
@SuppressWarnings("FutureReturnValueIgnored")
final class OutboundQueue implements Runnable {
  /** How long a FIN may wait with nothing ahead of it before the stream counts as collected. */
  private static final long FIN_GRACE_MS = 1000;

  /** Callbacks to the stream, on the event loop. */
  interface Owner {
    void onWritabilityChanged(boolean writable);

    /** A write failed: the peer stopped reading (STOP_SENDING) or the stream broke. */
    void onWriteFailed(Throwable cause);
  }

  private static final Object FIN = new Object();
  private static final int DIRECT_PASS_THROUGH_BYTES = 64 * 1024;

  /** Bound on one drain run, so that a busy stream cannot monopolise its event loop. */
  private static final long MAX_BYTES_PER_DRAIN = 4L * 1024 * 1024;

  private final QuicStreamChannel channel;
  private final Owner owner;
  private final int coalesceBytes;
  private final long highWaterMark;
  private final long lowWaterMark;
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean finishRequested = new AtomicBoolean();
  private final ChannelFutureListener writeListener;
  private volatile boolean unwritable;

  /**
   * Set with {@link #unwritable}, cleared by the drain: a producer may have seen isWritable() false
   * even if the queue drained before the drain ran, so the drain then reports false before true
   * (otherwise that producer would wait for a writable event that never comes).
   */
  private volatile boolean becameUnwritable;

  private volatile boolean closed;
  private volatile boolean closeAfterFin;

  // Event loop only.
  private boolean reportedWritable = true;

  OutboundQueue(
      QuicStreamChannel channel,
      Owner owner,
      int coalesceBytes,
      long highWaterMark,
      long lowWaterMark) {
    this.channel = channel;
    this.owner = owner;
    this.coalesceBytes = coalesceBytes;
    this.highWaterMark = highWaterMark;
    this.lowWaterMark = lowWaterMark;
    this.writeListener =
        future -> {
          if (!future.isSuccess()) {
            owner.onWriteFailed(future.cause());
          }
        };
  }

  /**
   * Queues a {@link ByteBuffer} or a {@code ByteBuffer[]} (written back to back) of {@code bytes}.
   * The buffers must be private views (slices) the queue may consume.
   */
  boolean enqueue(Object item, long bytes) {
    if (closed || finishRequested.get()) {
      return false;
    }
    queue.offer(item);
    if (queuedBytes.addAndGet(bytes) > highWaterMark) {
      unwritable = true;
      becameUnwritable = true;
    }
    scheduleDrain();
    return true;
  }

  /** Queues a FIN behind everything queued so far. */
  void finish() {
    if (!closed && finishRequested.compareAndSet(false, true)) {
      queue.offer(FIN);
      scheduleDrain();
    }
  }

  /** Queues a FIN behind everything queued so far and closes the stream once it is written. */
  void finishAndClose() {
    closeAfterFin = true;
    finish();
  }

  /** True when frames wait to be drained. */
  boolean hasQueuedFrames() {
    return !queue.isEmpty();
  }

  /** The stream is gone: drop everything queued, accept nothing more. */
  void close() {
    closed = true;
    scheduleDrain();
  }

  boolean isWritable() {
    return !unwritable && !closed && !finishRequested.get();
  }

  long queuedBytes() {
    return queuedBytes.get();
  }

  @Override
  public void run() {
    drainScheduled.set(false);
    drain();
  }

  /** Moves queued bytes to quiche while the stream has capacity. Event loop only. */
  void drain() {
    if (closed || !channel.isActive()) {
      closed = true;
      discard();
      reportWritability();
      return;
    }
    ByteBuf batch = null;
    long drained = 0;
    try {
      while (channel.isWritable() && drained < MAX_BYTES_PER_DRAIN) {
        Object item = queue.poll();
        if (item == null) {
          break;
        }
        if (item == FIN) {
          writeOut(batch);
          batch = null;
          writeFin();
          break;
        }
        if (item instanceof ByteBuffer buffer) {
          drained += buffer.remaining();
          batch = append(batch, buffer);
        } else {
          for (ByteBuffer buffer : (ByteBuffer[]) item) {
            drained += buffer.remaining();
            batch = append(batch, buffer);
          }
        }
      }
    } finally {
      writeOut(batch);
      if (drained > 0) {
        queuedBytes.addAndGet(-drained);
      }
    }
    if (!queue.isEmpty() && channel.isWritable()) {
      scheduleDrain(); // the per-run bound was hit; continue after other work on this loop
    }
    reportWritability();
  }

  /**
   * Writes the FIN as a stream frame, so that Netty orders it after data it still holds ({@code
   * QuicStreamChannel.shutdownOutput()} would jump ahead of that data).
   */
  private void writeFin() {
    closed = true;
    discard();
    ChannelFuture fin =
        channel.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true));
    fin.addListener(closeAfterFin ? ChannelFutureListener.CLOSE : writeListener);
    if (!fin.isDone()) {
      // quiche refuses even a bare FIN on a stream it has already collected (the peer sent
      // STOP_SENDING and its own FIN was read); Netty gets no event for that and would hold the
      // FIN forever. A FIN that waits behind data is normal (flow control), so only close the
      // channel when, after a grace period, the FIN is still pending with nothing ahead of it.
      // (Closing at once dropped up to Netty's whole outbound buffer of queued frames.)
      channel
          .eventLoop()
          .schedule(
              () -> {
                if (!fin.isDone() && channel.isActive() && pendingOutboundBytes() == 0) {
                  channel.close();
                }
              },
              FIN_GRACE_MS,
              TimeUnit.MILLISECONDS);
    }
  }

  private long pendingOutboundBytes() {
    ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
    return outbound == null ? 0 : outbound.totalPendingWriteBytes();
  }

  private ByteBuf append(ByteBuf batch, ByteBuffer buffer) {
    int length = buffer.remaining();
    if (length >= DIRECT_PASS_THROUGH_BYTES && buffer.isDirect()) {
      writeOut(batch);
      write(Unpooled.wrappedBuffer(buffer));
      return null;
    }
    if (batch != null && batch.writableBytes() < length) {
      writeOut(batch);
      batch = null;
    }
    if (batch == null) {
      batch = channel.alloc().directBuffer(Math.max(coalesceBytes, length));
    }
    batch.writeBytes(buffer);
    return batch;
  }

  private void writeOut(ByteBuf batch) {
    if (batch == null) {
      return;
    }
    if (batch.isReadable()) {
      write(batch);
    } else {
      batch.release();
    }
  }

  private void write(ByteBuf buffer) {
    channel.write(buffer).addListener(writeListener);
  }

  private void discard() {
    long bytes = 0;
    for (Object item = queue.poll(); item != null; item = queue.poll()) {
      if (item instanceof ByteBuffer buffer) {
        bytes += buffer.remaining();
      } else if (item instanceof ByteBuffer[] parts) {
        for (ByteBuffer part : parts) {
          bytes += part.remaining();
        }
      }
    }
    if (bytes > 0) {
      queuedBytes.addAndGet(-bytes);
    }
  }

  private void reportWritability() {
    if (closed) {
      return; // the stream reports its close instead
    }
    if (becameUnwritable) {
      becameUnwritable = false;
      if (reportedWritable) {
        reportedWritable = false;
        owner.onWritabilityChanged(false);
      }
    }
    if (unwritable && queuedBytes.get() <= lowWaterMark) {
      unwritable = false;
    }
    boolean writable = !unwritable;
    if (writable != reportedWritable) {
      reportedWritable = writable;
      owner.onWritabilityChanged(writable);
    }
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(this);
      } catch (RejectedExecutionException e) {
        // The event loop is shutting down: the stream is closing with it.
        closed = true;
        queue.clear();
      }
    }
  }
}
