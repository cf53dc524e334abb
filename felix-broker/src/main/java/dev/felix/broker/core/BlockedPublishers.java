package dev.felix.broker.core;

import dev.felix.broker.time.Scheduler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The wake-up of publishers a shard holds back under the {@code block} policy. One future per
 * blocking episode is shared by every blocked publisher, so waiting costs no memory per publisher
 * and needs no queue; any event that may unblock the shard (a send queue drained below its bound, a
 * lagging cursor advanced, a subscription or the shard closed) completes it, and the publishers
 * retry (a retry may find the shard blocked again and get the next future).
 *
 * <p>Lost wake-ups are impossible when publishers follow {@link #signal()}'s rule. Completion runs
 * on a scheduler thread, never inside the waker's locks, because completing runs the publishers'
 * callbacks.
 *
 * <p>Threading: lock-free; one atomic reference.
 */
final class BlockedPublishers {
  private final AtomicReference<CompletableFuture<Void>> current = new AtomicReference<>();
  private final Scheduler scheduler;

  BlockedPublishers(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * The stage of the current episode (created if none). A publisher must take it, then check again
   * whether it is still blocked: a wake-up between its first check and this call has then either
   * completed nothing (and the second check sees the change) or completed this stage.
   */
  CompletionStage<Void> signal() {
    CompletableFuture<Void> signal = current.get();
    if (signal == null) {
      CompletableFuture<Void> created = new CompletableFuture<>();
      signal = current.compareAndExchange(null, created);
      if (signal == null) {
        signal = created;
      }
    }
    return signal.minimalCompletionStage();
  }

  /** Ends the current episode, if any: its publishers may retry. Cheap when nobody waits. */
  void wake() {
    CompletableFuture<Void> signal = current.getAndSet(null);
    if (signal != null) {
      scheduler.execute(() -> signal.complete(null));
    }
  }
}
