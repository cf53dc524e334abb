package dev.felix.client;

import dev.felix.wire.message.StartPosition;
import java.util.Objects;

/**
 * How a {@link QueueConsumer} joins its group. Immutable.
 *
 * <p>Defaults: a group that does not exist yet starts at {@link StartPosition#EARLIEST} (work
 * published before the first consumer joined is not skipped); an existing group continues at its
 * own position whatever this says. Every shard; the broker's default lease allowance; the client's
 * receive buffer bounds.
 */
public final class ConsumerOptions {
  private final StartPosition start;
  private final int shard;
  private final int maxInFlight;
  private final int receiveBufferRecords;

  private ConsumerOptions(Builder b) {
    start = Objects.requireNonNull(b.start, "start");
    if (b.shard < -1) {
      throw new IllegalArgumentException("shard must be >= -1 (-1: every shard): " + b.shard);
    }
    if (b.maxInFlight < 0 || b.receiveBufferRecords < 0) {
      throw new IllegalArgumentException("maxInFlight and buffer bounds must be >= 0");
    }
    shard = b.shard;
    maxInFlight = b.maxInFlight;
    receiveBufferRecords = b.receiveBufferRecords;
  }

  /**
   * The defaults.
   *
   * @return the options
   */
  public static ConsumerOptions defaults() {
    return builder().build();
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
   * Where a new group starts.
   *
   * @return the start position
   */
  public StartPosition start() {
    return start;
  }

  /**
   * The one shard this member takes records from, or -1 for every shard.
   *
   * @return the shard
   */
  public int shard() {
    return shard;
  }

  /**
   * Most records leased to this member at once; 0 = the broker's default.
   *
   * @return the allowance
   */
  public int maxInFlight() {
    return maxInFlight;
  }

  /**
   * Receive buffer bound in records; 0 = the client's default.
   *
   * @return the bound
   */
  public int receiveBufferRecords() {
    return receiveBufferRecords;
  }

  @Override
  public String toString() {
    return "ConsumerOptions[start="
        + start
        + ", shard="
        + shard
        + ", maxInFlight="
        + maxInFlight
        + "]";
  }

  /** Mutable builder. Not thread-safe. */
  public static final class Builder {
    private StartPosition start = StartPosition.EARLIEST;
    private int shard = -1;
    private int maxInFlight;
    private int receiveBufferRecords;

    private Builder() {}

    /**
     * Where a group that does not exist yet starts.
     *
     * @param value the start position
     * @return this builder
     */
    public Builder start(StartPosition value) {
      start = value;
      return this;
    }

    /**
     * Take records of one shard only.
     *
     * @param value the shard, or -1 for every shard (the default)
     * @return this builder
     */
    public Builder shard(int value) {
      shard = value;
      return this;
    }

    /**
     * Most records leased to this member at once (capped by the broker).
     *
     * @param value 0 for the broker's default
     * @return this builder
     */
    public Builder maxInFlight(int value) {
      maxInFlight = value;
      return this;
    }

    /**
     * Receive buffer bound in records.
     *
     * @param value 0 for the client default
     * @return this builder
     */
    public Builder receiveBufferRecords(int value) {
      receiveBufferRecords = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the options
     */
    public ConsumerOptions build() {
      return new ConsumerOptions(this);
    }
  }
}
