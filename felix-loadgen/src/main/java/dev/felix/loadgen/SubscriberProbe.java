package dev.felix.loadgen;

import dev.felix.client.ReceivedRecord;
import dev.felix.client.RecordListener;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Counts one subscriber's deliveries and records publish-to-deliver latency from the send time the
 * publisher wrote into the first 8 bytes of each payload ({@code System.nanoTime()} of the same
 * JVM, so the clocks agree). Detects reordering and duplicates from the sequence in bytes 8-15 (per
 * publisher: its index is in the top byte, see {@link Pacing#sequenceOf}): a record whose sequence
 * is below the next one expected. A gap (a later sequence) is not counted here: records that never
 * arrive, refused publishes among them, show as loss in the run's totals, and counting the record
 * after them too would report reordering that did not happen.
 */
final class SubscriberProbe implements RecordListener {
  private final Recorder latencyNanos = new Recorder(3_600_000_000_000L, 3);
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong outOfOrder = new AtomicLong();
  private volatile long lastArrivalNanos;

  /** Next sequence expected from each publisher (order is per publisher). */
  private final long[] expectedSequence = new long[Workload.MAX_PUBLISHERS];

  @Override
  public void onRecord(ReceivedRecord record) {
    onPayload(record.payload().asReadOnlyBuffer());
  }

  /** One delivered payload, from Felix or from a peer (the same layout either way). */
  void onPayload(ByteBuffer payload) {
    long now = System.nanoTime();
    long sentNanos = payload.getLong(0);
    long tagged = payload.getLong(8);
    int publisher = (int) (tagged >>> Pacing.PUBLISHER_SHIFT);
    long sequence = tagged & ((1L << Pacing.PUBLISHER_SHIFT) - 1);
    if (publisher >= expectedSequence.length) {
      outOfOrder.incrementAndGet();
    } else {
      if (sequence < expectedSequence[publisher]) {
        outOfOrder.incrementAndGet();
      } else {
        expectedSequence[publisher] = sequence + 1;
      }
    }
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
