package dev.felix.client;

import dev.felix.wire.Names;
import dev.felix.wire.message.StartPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a subscription starts and how much it buffers. Immutable.
 *
 * <p>Defaults: start at {@link StartPosition#LATEST} (only records published after the subscription
 * opens), every shard, no fallback, the client's receive buffer bounds.
 *
 * <pre>{@code
 * SubscribeOptions.earliest();
 * SubscribeOptions.fromOffset(1200);
 * SubscribeOptions.builder().start(StartPosition.offset(1200)).shard(2)
 *     .fromEarliestIfOutOfRange(true).build();
 * SubscribeOptions.builder().start(StartPosition.EARLIEST).cursor("reporter")
 *     .autoCommit(Duration.ofSeconds(1)).build();
 * }</pre>
 *
 * <p>With a {@linkplain Builder#cursor(String) named cursor} the subscription resumes where that
 * cursor was last committed ({@link Subscription#commit()}); shards it has no position for start at
 * {@link #start()}. Positions of durable streams survive a broker restart.
 */
public final class SubscribeOptions {
  private final StartPosition start;
  private final int shard;
  private final boolean fromEarliestIfOutOfRange;
  private final int receiveBufferRecords;
  private final long receiveBufferBytes;
  private final String cursor;
  private final Duration autoCommit;

  private SubscribeOptions(Builder b) {
    start = Objects.requireNonNull(b.start, "start");
    if (b.shard < -1) {
      throw new IllegalArgumentException("shard must be >= -1 (-1: every shard): " + b.shard);
    }
    if (b.receiveBufferRecords < 0 || b.receiveBufferBytes < 0) {
      throw new IllegalArgumentException("receive buffer bounds must be >= 0 (0: client default)");
    }
    shard = b.shard;
    fromEarliestIfOutOfRange = b.fromEarliestIfOutOfRange;
    receiveBufferRecords = b.receiveBufferRecords;
    receiveBufferBytes = b.receiveBufferBytes;
    if (b.cursor != null && !Names.isValid(b.cursor)) {
      throw new IllegalArgumentException(
          "a cursor name is 1-" + Names.MAX_LENGTH + " characters of [A-Za-z0-9._-]: " + b.cursor);
    }
    if (b.autoCommit != null) {
      if (b.cursor == null) {
        throw new IllegalArgumentException("autoCommit needs a cursor");
      }
      if (b.autoCommit.isNegative() || b.autoCommit.isZero()) {
        throw new IllegalArgumentException("autoCommit interval must be positive: " + b.autoCommit);
      }
    }
    cursor = b.cursor;
    autoCommit = b.autoCommit;
  }

  /**
   * Only records published after the subscription opens.
   *
   * @return the options
   */
  public static SubscribeOptions latest() {
    return builder().build();
  }

  /**
   * From the oldest retained record.
   *
   * @return the options
   */
  public static SubscribeOptions earliest() {
    return builder().start(StartPosition.EARLIEST).build();
  }

  /**
   * From {@code offset} in every shard.
   *
   * @param offset the first offset to deliver
   * @return the options
   */
  public static SubscribeOptions fromOffset(long offset) {
    return builder().start(StartPosition.offset(offset)).build();
  }

  /**
   * From the first record with a timestamp at or after {@code time}.
   *
   * @param time the start time
   * @return the options
   */
  public static SubscribeOptions fromTimestamp(Instant time) {
    return builder().start(StartPosition.timestamp(time.toEpochMilli())).build();
  }

  /**
   * A builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where the subscription starts.
   *
   * @return the start position
   */
  public StartPosition start() {
    return start;
  }

  /**
   * The one shard subscribed to, or -1 for every shard.
   *
   * @return the shard
   */
  public int shard() {
    return shard;
  }

  /**
   * Whether an offset that is no longer retained (at the start or while resuming after a reconnect)
   * falls back to the earliest retained offset instead of failing with {@code OFFSET_OUT_OF_RANGE}.
   *
   * @return false by default
   */
  public boolean fromEarliestIfOutOfRange() {
    return fromEarliestIfOutOfRange;
  }

  /**
   * Receive buffer bound in records; 0 = the client's {@link FelixOptions#receiveBufferRecords()}.
   *
   * @return the bound
   */
  public int receiveBufferRecords() {
    return receiveBufferRecords;
  }

  /**
   * Receive buffer bound in bytes; 0 = the client's {@link FelixOptions#receiveBufferBytes()}.
   *
   * @return the bound
   */
  public long receiveBufferBytes() {
    return receiveBufferBytes;
  }

  /**
   * The named cursor this subscription resumes and commits.
   *
   * @return the cursor name, or empty for a subscription without one (the default)
   */
  public Optional<String> cursor() {
    return Optional.ofNullable(cursor);
  }

  /**
   * How often the client commits the cursor on its own when the application took records since the
   * last commit; it also commits once when the subscription is closed.
   *
   * @return the interval, or empty when only {@link Subscription#commit()} commits (the default)
   */
  public Optional<Duration> autoCommit() {
    return Optional.ofNullable(autoCommit);
  }

  @Override
  public String toString() {
    return "SubscribeOptions[start="
        + start
        + ", shard="
        + shard
        + ", fromEarliestIfOutOfRange="
        + fromEarliestIfOutOfRange
        + (cursor == null ? "" : ", cursor=" + cursor)
        + (autoCommit == null ? "" : ", autoCommit=" + autoCommit)
        + "]";
  }

  /** Mutable builder. Not thread-safe. */
  public static final class Builder {
    private StartPosition start = StartPosition.LATEST;
    private int shard = -1;
    private boolean fromEarliestIfOutOfRange;
    private int receiveBufferRecords;
    private long receiveBufferBytes;
    private String cursor;
    private Duration autoCommit;

    private Builder() {}

    /**
     * Resume and commit the named cursor (needs a broker that grants {@code DURABLE_CURSORS}).
     * Cursors are per stream and independent: each sees every record.
     *
     * @param name 1 to 128 characters of {@code [A-Za-z0-9._-]}, or null for none
     * @return this builder
     */
    public Builder cursor(String name) {
      cursor = name;
      return this;
    }

    /**
     * Commit the cursor every {@code interval} when records were taken since the last commit, and
     * once on close. Needs {@link #cursor(String)}. A crash loses at most one interval of progress
     * (those records come again).
     *
     * @param interval positive, or null for manual commits only (the default)
     * @return this builder
     */
    public Builder autoCommit(Duration interval) {
      autoCommit = interval;
      return this;
    }

    /**
     * Where to start: {@link StartPosition#LATEST}, {@link StartPosition#EARLIEST}, {@link
     * StartPosition#offset(long)} or {@link StartPosition#timestamp(long)}.
     *
     * @param value the start position
     * @return this builder
     */
    public Builder start(StartPosition value) {
      start = value;
      return this;
    }

    /**
     * Subscribe to one shard only.
     *
     * @param value the shard, or -1 for every shard (the default)
     * @return this builder
     */
    public Builder shard(int value) {
      shard = value;
      return this;
    }

    /**
     * Fall back to the earliest retained offset when the requested one is gone.
     *
     * @param value false by default
     * @return this builder
     */
    public Builder fromEarliestIfOutOfRange(boolean value) {
      fromEarliestIfOutOfRange = value;
      return this;
    }

    /**
     * Receive buffer bound in records for this subscription.
     *
     * @param value 0 for the client default
     * @return this builder
     */
    public Builder receiveBufferRecords(int value) {
      receiveBufferRecords = value;
      return this;
    }

    /**
     * Receive buffer bound in bytes for this subscription.
     *
     * @param value 0 for the client default
     * @return this builder
     */
    public Builder receiveBufferBytes(long value) {
      receiveBufferBytes = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the options
     */
    public SubscribeOptions build() {
      return new SubscribeOptions(this);
    }
  }
}
