package dev.felix.broker.core;

import dev.felix.error.ConflictException;
import dev.felix.error.ErrorCode;
import dev.felix.storage.log.Appended;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one shard remembers of idempotent producers, so that a retried publish is not appended twice
 * (protocol section 6.2): per producer id, the highest sequence appended to this shard and the last
 * {@value #WINDOW} appends (their sequence range and {@link Appended}).
 *
 * <p>A publish's records on this shard carry sequences {@code first..last}. If {@code first} is
 * above the highest appended sequence it is new. If the range equals a remembered append exactly,
 * it is a retry: the caller acknowledges it with that append's offsets (and waits for the same
 * durability) instead of appending again. Anything else overlaps appended records without being a
 * retry of one publish, which a correct client never sends: {@code CONFLICT}.
 *
 * <p>Bounded: at most {@value #MAX_PRODUCERS} producers per shard, the least recently used
 * forgotten first (a retry from a forgotten producer is appended again). The state lives in memory;
 * for a durable shard it is rebuilt at open from the producer stamps stored in the log's batches
 * ({@code Shard#rememberRecoveredProducers}), for a memory shard a restart forgets it with the
 * records (docs/broker.md section 13).
 *
 * <p>Threading: guarded by the shard's lock.
 */
final class ProducerSequences {
  // The Java client keeps at most this many batches of a producer unacknowledged
  // (PublishLane.MAX_UNACKNOWLEDGED_BATCHES), so every resend falls inside the window.
  static final int WINDOW = 32;
  static final int MAX_PRODUCERS = 10_000;

  private record Remembered(long first, long last, Appended appended) {}

  private static final class Producer {
    long highest = -1;
    final ArrayDeque<Remembered> recent = new ArrayDeque<>();
  }

  private final LinkedHashMap<Long, Producer> producers;

  /**
   * @param forgotten counts producers dropped past {@value #MAX_PRODUCERS}
   */
  ProducerSequences(LongAdder forgotten) {
    this.producers =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Producer> eldest) {
            if (size() > MAX_PRODUCERS) {
              forgotten.increment();
              return true;
            }
            return false;
          }
        };
  }

  /**
   * The earlier append of exactly this range (a retry), or null when the range is new.
   *
   * @throws ConflictException {@code CONFLICT} when the range overlaps appended sequences without
   *     being one earlier publish
   */
  Appended findRetry(long producerId, long first, long last) {
    Producer producer = producers.get(producerId);
    if (producer == null || first > producer.highest) {
      return null;
    }
    for (Iterator<Remembered> it = producer.recent.descendingIterator(); it.hasNext(); ) {
      Remembered earlier = it.next();
      if (earlier.first() == first && earlier.last() == last) {
        return earlier.appended();
      }
    }
    throw new ConflictException(
        ErrorCode.CONFLICT,
        "producer "
            + producerId
            + " sequences "
            + first
            + ".."
            + last
            + " overlap records already appended (highest "
            + producer.highest
            + ") but are not a retry of one recent publish");
  }

  /** Records a new append of {@code first..last}. */
  void remember(long producerId, long first, long last, Appended appended) {
    Producer producer = producers.computeIfAbsent(producerId, id -> new Producer());
    producer.highest = Math.max(producer.highest, last);
    producer.recent.addLast(new Remembered(first, last, appended));
    if (producer.recent.size() > WINDOW) {
      producer.recent.removeFirst();
    }
  }

  int producers() {
    return producers.size();
  }
}
