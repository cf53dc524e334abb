package dev.felix.client.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.wire.message.ShardOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Coalesces a group member's acks into QueueAck frames: an ack waits at most {@link #LINGER_NANOS}
 * for others, and {@link #MAX_BATCH} waiting acks go out at once. One frame (and one Ok) per batch
 * instead of per record keeps the control stream and the broker's event loop free for publishes.
 *
 * <p>Bounded: at most {@link #MAX_BATCH} acks wait. A batch goes to the member's live part at send
 * time; without one (the connection is gone) it is dropped: the broker gave those leases back when
 * the member left. Thread-safe: {@code lock} guards the pending list and the timer flag.
 */
final class AckBatcher {
  /** Well under the wire's maxBatchEntries (10,000): a 3 KiB frame. */
  static final int MAX_BATCH = 256;

  /** 1 ms: invisible next to any visibility timeout, long enough to gather a busy member's acks. */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final ClientContext context;
  private final Supplier<SubscriptionPart> livePart;
  private final Object lock = new Object();
  private List<ShardOffset> pending = new ArrayList<>();
  private boolean timerArmed;

  AckBatcher(ClientContext context, Supplier<SubscriptionPart> livePart) {
    this.context = context;
    this.livePart = livePart;
  }

  void ack(ShardOffset record) {
    List<ShardOffset> full = null;
    boolean arm = false;
    synchronized (lock) {
      pending.add(record);
      if (pending.size() >= MAX_BATCH) {
        full = takeLocked();
      } else if (!timerArmed) {
        timerArmed = true;
        arm = true;
      }
    }
    if (full != null) {
      send(full);
    } else if (arm) {
      var unused = context.threads().schedule(this::lingerOver, LINGER_NANOS);
    }
  }

  /** Sends what waits now (before a nack or an unsubscribe, so the broker sees acks first). */
  void flush() {
    List<ShardOffset> batch;
    synchronized (lock) {
      batch = takeLocked();
    }
    send(batch);
  }

  private void lingerOver() {
    List<ShardOffset> batch;
    synchronized (lock) {
      timerArmed = false;
      batch = takeLocked();
    }
    send(batch);
  }

  private List<ShardOffset> takeLocked() {
    List<ShardOffset> batch = pending;
    pending = new ArrayList<>();
    return batch;
  }

  private void send(List<ShardOffset> batch) {
    if (batch.isEmpty()) {
      return;
    }
    SubscriptionPart part = livePart.get();
    if (part == null) {
      return;
    }
    var unused =
        part.session()
            .queueAck(part.subscriptionId(), batch)
            .result()
            .whenComplete((ok, failure) -> report(context, failure));
  }

  /** A refusal reaches the application's listener; a lost connection is no news. */
  static void report(ClientContext context, Throwable failure) {
    if (failure == null) {
      return;
    }
    FelixException error = Waits.toFelix(failure);
    if (error.code().category() != ErrorCode.Category.UNAVAILABLE) {
      context.callbacks().notify(l -> l.onError(error));
    }
  }
}
