package dev.felix.loadgen;

import dev.felix.client.ReceivedRecord;
import dev.felix.client.RecordListener;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Counts one subscriber's deliveries and records publish-to-deliver latency from the send time the
 * publisher wrote into the first 8 bytes of each payload ({@code System.nanoTime()} of the same
 * JVM, so the clocks agree). Detects loss and reordering from the sequence in bytes 8-15.
 */
final class SubscriberProbe implements RecordListener {
  private final Recorder latencyNanos = new Recorder(3_600_000_000_000L, 3);
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong outOfOrder = new AtomicLong();
  private volatile long lastArrivalNanos;
  private long expectedSequence;

  @Override
  public void onRecord(ReceivedRecord record) {
    onPayload(record.payload().asReadOnlyBuffer());
  }

  /** One delivered payload, from Felix or from a peer (the same layout either way). */
  void onPayload(ByteBuffer payload) {
    long now = System.nanoTime();
    long sentNanos = payload.getLong(0);
    long sequence = payload.getLong(8);
    if (sequence != expectedSequence) {
      outOfOrder.incrementAndGet();
    }
    expectedSequence = sequence + 1;
    latencyNanos.recordValue(Math.max(0, now - sentNanos));
    lastArrivalNanos = now;
    received.incrementAndGet();
  }

  long received() {
    return received.get();
  }

  long outOfOrder() {
    return outOfOrder.get();
  }

  long lastArrivalNanos() {
    return lastArrivalNanos;
  }

  Recorder latency() {
    return latencyNanos;
  }
}
