package dev.felix.broker;

import dev.felix.wire.message.PublishAck;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What {@link Broker#publish} did. Flow control is this return value, not an exception:
 *
 * <ul>
 *   <li>{@link Status#ACCEPTED}: every record was appended. {@link #ack()} completes with the
 *       {@link PublishAck} once the records are as safe as the stream's log makes them (at once for
 *       memory streams); it never claims a record that was not appended.
 *   <li>{@link Status#BLOCKED}: nothing was appended, because the stream's policy is {@code block}
 *       and a subscriber is full. Stop reading from this publisher (so the transport's flow control
 *       slows it down) and publish the same records again when {@link #retryWhen()} completes.
 *       Completion is a hint, not a reservation: the retry may be blocked again. Callbacks run on a
 *       broker thread; hop to your own thread before doing I/O.
 * </ul>
 *
 * <p>Errors that no retry can fix (unknown stream, limits, bad shard) are thrown as {@link
 * dev.felix.error.FelixException}s before anything is appended.
 */
public final class PublishResult {
  /** The two outcomes. */
  public enum Status {
    ACCEPTED,
    BLOCKED
  }

  private static final CompletionStage<PublishAck> NO_ACK = CompletableFuture.completedStage(null);

  /** Shared result for {@code AckMode.NONE}: no ack object is built. */
  private static final PublishResult ACCEPTED_WITHOUT_ACK =
      new PublishResult(Status.ACCEPTED, NO_ACK, null);

  private final Status status;
  private final CompletionStage<PublishAck> ack;
  private final CompletionStage<Void> retryWhen;

  private PublishResult(
      Status status, CompletionStage<PublishAck> ack, CompletionStage<Void> retryWhen) {
    this.status = status;
    this.ack = ack;
    this.retryWhen = retryWhen;
  }

  /** Appended; {@code ack} completes with the acknowledgement. */
  public static PublishResult accepted(CompletionStage<PublishAck> ack) {
    return new PublishResult(Status.ACCEPTED, Objects.requireNonNull(ack, "ack"), null);
  }

  /** Appended, and the publisher asked for no acknowledgement ({@code AckMode.NONE}). */
  public static PublishResult acceptedWithoutAck() {
    return ACCEPTED_WITHOUT_ACK;
  }

  /** Nothing appended; retry once {@code retryWhen} completes. */
  public static PublishResult blocked(CompletionStage<Void> retryWhen) {
    return new PublishResult(Status.BLOCKED, null, Objects.requireNonNull(retryWhen, "retryWhen"));
  }

  public Status status() {
    return status;
  }

  public boolean isAccepted() {
    return status == Status.ACCEPTED;
  }

  /**
   * Completes with the acknowledgement (ranges in publish order), or with {@code null} when the
   * publish used {@code AckMode.NONE}. Only for {@link Status#ACCEPTED}.
   */
  public CompletionStage<PublishAck> ack() {
    if (ack == null) {
      throw new IllegalStateException("a blocked publish has no ack: retry it");
    }
    return ack;
  }

  /** Completes when the stream may accept records again. Only for {@link Status#BLOCKED}. */
  public CompletionStage<Void> retryWhen() {
    if (retryWhen == null) {
      throw new IllegalStateException("an accepted publish has nothing to retry");
    }
    return retryWhen;
  }

  @Override
  public String toString() {
    return "PublishResult[" + status + "]";
  }
}
