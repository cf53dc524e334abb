package dev.felix.loadgen;

import dev.felix.client.PublishReceipt;
import dev.felix.error.FelixException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One publisher's unconfirmed publishes, and the outcome of every one of them without a callback
 * per record (which cost the publishing thread more than the publish itself). The publisher adds
 * each publish's future to a ring and, at the end of each chunk, settles the chunk before: waits
 * for each of its publishes in turn and counts the failures. Acknowledgements arrive in publish
 * order, so settling bounds how much is unconfirmed (at most {@code ringSize}) and every wait after
 * the first returns at once.
 *
 * <p>Threads: a window belongs to its publishing thread; the {@link Failures} it reports to are
 * shared by all publishers of a run.
 */
final class PublishWindow {
  private final CompletableFuture<?>[] ring;
  private final Failures failures;
  private long added;
  private long settled;

  PublishWindow(int ringSize, Failures failures) {
    this.ring = new CompletableFuture<?>[ringSize];
    this.failures = failures;
  }

  /** Adds the next publish; the caller settles before more than the ring's size are open. */
  void add(CompletableFuture<PublishReceipt> publish) {
    if (added - settled == ring.length) {
      throw new IllegalStateException("more than " + ring.length + " publishes unsettled");
    }
    ring[(int) (added++ % ring.length)] = publish;
  }

  /** Waits for every publish added before the {@code count}-th and counts those that failed. */
  void settleFirst(long count) throws InterruptedException {
    for (; settled < Math.min(count, added); settled++) {
      int slot = (int) (settled % ring.length);
      CompletableFuture<?> publish = ring[slot];
      ring[slot] = null;
      try {
        publish.get();
      } catch (ExecutionException e) {
        failures.note(e.getCause());
      }
    }
  }

  /** Waits for every publish added so far. */
  void settleAll() throws InterruptedException {
    settleFirst(added);
  }

  /**
   * The failed publishes of a run, over all its publishers: how many, and the first one's cause.
   */
  static final class Failures {
    private final LongAdder count = new LongAdder();
    private final AtomicReference<String> first = new AtomicReference<>();

    void note(Throwable failure) {
      count.increment();
      first.compareAndSet(
          null,
          failure instanceof FelixException refused
              ? refused.code() + ": " + refused.getMessage()
              : String.valueOf(failure));
    }

    long count() {
      return count.sum();
    }

    /** The first failure's code and text ({@code LIMIT_EXCEEDED: ...}), or null for none. */
    String first() {
      return first.get();
    }
  }
}
