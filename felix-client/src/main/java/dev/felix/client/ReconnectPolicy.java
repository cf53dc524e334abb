package dev.felix.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client reconnects after losing its connection or receiving GoAway.
 *
 * <p>Attempt {@code n} (from 1) waits {@code min(maxBackoff, initialBackoff * 2^(n-1))}, spread by
 * {@code jitter} (a factor drawn uniformly from {@code [1 - jitter, 1 + jitter]}, the result again
 * capped at {@code maxBackoff}), so that many clients dropped by one broker do not return in
 * lockstep. After a GoAway the first attempt starts at once: the server asked the client to move.
 *
 * @param enabled reconnect at all; default true. When false, a lost connection closes the client
 * @param initialBackoff delay before the first attempt after a loss; default 100 ms
 * @param maxBackoff largest delay between attempts; default 5 s
 * @param jitter spread of each delay, 0 to 1; default 0.2
 * @param maxAttempts attempts before giving up and closing the client; -1 (the default) = forever
 */
public record ReconnectPolicy(
    boolean enabled, Duration initialBackoff, Duration maxBackoff, double jitter, int maxAttempts) {

  /** Default delay before the first attempt. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);

  /** Default largest delay. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  /** Default spread. */
  public static final double DEFAULT_JITTER = 0.2;

  /** Reconnect forever with the default back-off. */
  public static final ReconnectPolicy DEFAULT =
      new ReconnectPolicy(true, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_JITTER, -1);

  /** Never reconnect: a lost connection closes the client. */
  public static final ReconnectPolicy DISABLED =
      new ReconnectPolicy(false, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_JITTER, 0);

  /**
   * Validates every field once; the messages name the field.
   *
   * @param enabled reconnect at all
   * @param initialBackoff delay before the first attempt, not negative
   * @param maxBackoff largest delay, at least {@code initialBackoff}
   * @param jitter spread of each delay, 0 to 1
   * @param maxAttempts attempts before giving up, -1 for forever
   */
  public ReconnectPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("reconnect back-off must not be negative");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "reconnect maxBackoff (" + maxBackoff + ") is below initialBackoff (" + initialBackoff);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("reconnect jitter must be between 0 and 1: " + jitter);
    }
    if (maxAttempts < -1) {
      throw new IllegalArgumentException("reconnect maxAttempts must be >= -1: " + maxAttempts);
    }
  }

  /**
   * A copy with another first delay.
   *
   * @param value delay before the first attempt
   * @return the new policy
   */
  public ReconnectPolicy withInitialBackoff(Duration value) {
    return new ReconnectPolicy(enabled, value, maxBackoff, jitter, maxAttempts);
  }

  /**
   * A copy with another largest delay.
   *
   * @param value largest delay between attempts
   * @return the new policy
   */
  public ReconnectPolicy withMaxBackoff(Duration value) {
    return new ReconnectPolicy(enabled, initialBackoff, value, jitter, maxAttempts);
  }

  /**
   * A copy with another spread.
   *
   * @param value 0 to 1
   * @return the new policy
   */
  public ReconnectPolicy withJitter(double value) {
    return new ReconnectPolicy(enabled, initialBackoff, maxBackoff, value, maxAttempts);
  }

  /**
   * A copy with another attempt limit.
   *
   * @param value attempts before giving up; -1 = forever
   * @return the new policy
   */
  public ReconnectPolicy withMaxAttempts(int value) {
    return new ReconnectPolicy(enabled, initialBackoff, maxBackoff, jitter, value);
  }
}
