package dev.felix.client.internal;

import dev.felix.client.ReconnectPolicy;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code initialBackoff}, capped at {@code maxBackoff}, each
 * spread by a random factor in {@code [1 - jitter, 1 + jitter]} (capped again). The random source
 * is injected so tests are deterministic.
 */
final class Backoff {
  private final ReconnectPolicy policy;
  private final DoubleSupplier random;

  Backoff(ReconnectPolicy policy, DoubleSupplier random) {
    this.policy = policy;
    this.random = random;
  }

  /** Delay before attempt {@code attempt} (1 = the first attempt after a loss), in nanoseconds. */
  long delayNanos(int attempt) {
    long initial = policy.initialBackoff().toNanos();
    long max = policy.maxBackoff().toNanos();
    // Doubling stops at 2^30 so the shift cannot overflow; the cap applies long before that.
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    double base = Math.min((double) max, initial * Math.pow(2, doublings));
    double factor = 1 - policy.jitter() + 2 * policy.jitter() * random.getAsDouble();
    return (long) Math.min((double) max, base * factor);
  }
}
