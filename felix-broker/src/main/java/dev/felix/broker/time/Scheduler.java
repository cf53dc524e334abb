package dev.felix.broker.time;

/**
 * Runs the broker's deferred work: batching delays, catch-up reads of lagging subscribers, and
 * wake-ups of blocked publishers. Injected so tests drive it by hand ({@link ManualScheduler}).
 *
 * <p>Tasks must be short and must not block; they may take shard and subscription locks.
 * Implementations are thread-safe.
 */
public interface Scheduler {
  /** Runs {@code task} once, {@code delayNanos} from now (by the broker's clock). */
  Cancellable schedule(long delayNanos, Runnable task);

  /** Runs {@code task} soon, on a scheduler thread (never on the caller's stack). */
  void execute(Runnable task);
}
