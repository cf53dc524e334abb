package dev.felix.loadgen;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * When each message of a run is sent and what its payload carries, the same for Felix and its
 * peers: as fast as possible in throughput mode; at the workload's fixed rate otherwise, timing
 * each message from its <em>intended</em> send time, which corrects for coordinated omission (a
 * stalled sender does not hide the stall from the histogram).
 */
final class Pacing {
  private final long start;
  private final long intervalNanos;

  Pacing(Workload workload, long startNanos) {
    this(startNanos, workload.fixedRate() ? 1_000_000_000L / workload.ratePerSecond() : 0);
  }

  /** Message {@code n} is due {@code n * intervalNanos} after the start (0: no pacing). */
  Pacing(long startNanos, long intervalNanos) {
    this.start = startNanos;
    this.intervalNanos = intervalNanos;
  }

  /** Waits until message {@code sequence} is due; returns the send time its latency counts from. */
  long awaitTurn(long sequence) {
    if (intervalNanos == 0) {
      return System.nanoTime();
    }
    long sendTime = start + sequence * intervalNanos;
    long wait = sendTime - System.nanoTime();
    if (wait > 0) {
      LockSupport.parkNanos(wait);
    }
    return sendTime;
  }

  /** Bits of a payload's sequence field below the publisher index. */
  static final int PUBLISHER_SHIFT = 56;

  /** The sequence field of publisher {@code publisher}'s {@code n}-th message. */
  static long sequenceOf(int publisher, long n) {
    return ((long) publisher << PUBLISHER_SHIFT) | n;
  }

  /** A payload of {@code size} bytes with the send time and the sequence in its first 16 bytes. */
  static byte[] payload(int size, long sendTime, long sequence) {
    byte[] payload = new byte[size];
    ByteBuffer.wrap(payload).putLong(sendTime).putLong(sequence);
    return payload;
  }
}
