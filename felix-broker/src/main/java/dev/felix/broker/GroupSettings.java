package dev.felix.broker;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Names;

/**
 * One consumer group's own settings, set through the admin API; a group without them (created by a
 * join) takes the broker-wide {@code queues.*} values ({@link #defaults(QueueConfig)}). Applied to
 * a running group at once: a new visibility timeout to the leases made from then on, a new
 * max-deliveries at the next delivery decision, a new dead-letter stream to the next dead letter, a
 * new max-in-flight to members joining from then on.
 *
 * @param maxDeliveries deliveries of one record (first included) before it is dead-lettered, >= 1
 * @param visibilityTimeoutMs how long a lease lasts without an ack, >= 1
 * @param deadLetterStream the dead-letter stream's name in the group's namespace; null: {@code
 *     <stream><queues.dead_letter_suffix>}
 * @param maxInFlight leases a member holds when its Subscribe says 0, 1 .. {@code
 *     queues.max_in_flight}
 */
public record GroupSettings(
    int maxDeliveries, int visibilityTimeoutMs, String deadLetterStream, int maxInFlight) {

  /** The broker-wide values, as a group created by a join gets them. */
  public static GroupSettings defaults(QueueConfig config) {
    return new GroupSettings(
        config.maxDeliveries(), config.visibilityTimeoutMs(), null, config.defaultMaxInFlight());
  }

  /**
   * Checks the settings against the broker's limits.
   *
   * @throws ProtocolException {@code INVALID_ARGUMENT}, the message starting with the field's name
   */
  public GroupSettings validate(QueueConfig config) {
    if (maxDeliveries < 1) {
      throw invalid("maxDeliveries", "must be >= 1, was " + maxDeliveries);
    }
    if (visibilityTimeoutMs < 1) {
      throw invalid("visibilityTimeoutMs", "must be >= 1, was " + visibilityTimeoutMs);
    }
    if (maxInFlight < 1 || maxInFlight > config.maxInFlight()) {
      throw invalid(
          "maxInFlight",
          "must be 1 .. " + config.maxInFlight() + " (queues.max_in_flight), was " + maxInFlight);
    }
    if (deadLetterStream != null && !Names.isValid(deadLetterStream)) {
      throw invalid(
          "deadLetterStream",
          "must be a valid stream name ([A-Za-z0-9._-], not . or ..), was " + deadLetterStream);
    }
    return this;
  }

  /** The dead-letter stream's name for a group on {@code stream}. */
  public String deadLetterStreamOf(String stream, QueueConfig config) {
    return deadLetterStream != null ? deadLetterStream : stream + config.deadLetterSuffix();
  }

  private static ProtocolException invalid(String field, String problem) {
    return new ProtocolException(ErrorCode.INVALID_ARGUMENT, field + ": " + problem);
  }
}
