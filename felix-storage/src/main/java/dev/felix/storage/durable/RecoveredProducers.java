package dev.felix.storage.durable;

import dev.felix.storage.log.ProducerStamp;
import dev.felix.storage.log.StampedBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the producer stamps (format 2 batches) that recovery reads, keeping per producer only
 * its last {@value #BATCHES_PER_PRODUCER} batches and at most {@value #MAX_PRODUCERS} producers,
 * the producer seen least recently dropped first. The bounds match the broker's per-shard
 * de-duplication window: a producer retries only its latest unacknowledged batches, so older stamps
 * could never match a retry.
 *
 * <p>Batches arrive in offset order; one at or below the last kept offset of its producer (a sealed
 * segment scanned twice, lazily then in full) is ignored, so each batch is kept once.
 *
 * <p>Threading: used by the opening thread only, then handed over once.
 */
final class RecoveredProducers {
  static final int BATCHES_PER_PRODUCER = 32;
  static final int MAX_PRODUCERS = 10_000;

  private long forgottenProducers;

  private final LinkedHashMap<Long, ArrayDeque<StampedBatch>> producers =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ArrayDeque<StampedBatch>> eldest) {
          if (size() > MAX_PRODUCERS) {
            forgottenProducers++;
            return true;
          }
          return false;
        }
      };

  /** Takes the stamp of the batch the view just parsed, if it has one. */
  void add(BatchView view) {
    if (view.producerId() == 0) {
      return;
    }
    ArrayDeque<StampedBatch> recent =
        producers.computeIfAbsent(view.producerId(), id -> new ArrayDeque<>());
    StampedBatch newest = recent.peekLast();
    if (newest != null && view.baseOffset() <= newest.baseOffset()) {
      return;
    }
    recent.addLast(
        new StampedBatch(
            new ProducerStamp(view.producerId(), view.firstSequence(), view.lastSequence()),
            view.baseOffset(),
            view.recordCount()));
    if (recent.size() > BATCHES_PER_PRODUCER) {
      recent.removeFirst();
    }
  }

  /** Producers dropped because more than {@value #MAX_PRODUCERS} were seen. */
  long forgottenProducers() {
    return forgottenProducers;
  }

  /** Every kept batch, in offset order. */
  List<StampedBatch> batches() {
    ArrayList<StampedBatch> all = new ArrayList<>();
    for (ArrayDeque<StampedBatch> recent : producers.values()) {
      all.addAll(recent);
    }
    all.sort(Comparator.comparingLong(StampedBatch::baseOffset));
    return all;
  }
}
