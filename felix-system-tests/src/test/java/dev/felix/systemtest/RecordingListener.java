package dev.felix.systemtest;

import dev.felix.client.ClientListener;
import dev.felix.client.ServerInfo;
import dev.felix.client.Subscription;
import dev.felix.error.FelixException;
import dev.felix.wire.message.StreamRef;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link ClientListener} that remembers everything it is told, for assertions. */
final class RecordingListener implements ClientListener {
  /** One EventsDropped notice: records {@code [nextOffset - droppedCount, nextOffset)}. */
  record Drop(int shard, long droppedCount, long nextOffset) {}

  /** One resume that did not continue right after the last record. */
  record ResumeGap(int shard, long expectedOffset, long resumedOffset) {}

  final List<Drop> drops = new CopyOnWriteArrayList<>();
  final List<ResumeGap> resumeGaps = new CopyOnWriteArrayList<>();
  final List<FelixException> subscriptionEnds = new CopyOnWriteArrayList<>();
  final List<FelixException> disconnects = new CopyOnWriteArrayList<>();
  final List<FelixException> errors = new CopyOnWriteArrayList<>();
  final AtomicInteger reconnects = new AtomicInteger();

  @Override
  public void onDisconnected(FelixException cause, boolean reconnecting) {
    disconnects.add(cause);
  }

  @Override
  public void onReconnected(ServerInfo server) {
    reconnects.incrementAndGet();
  }

  @Override
  public void onEventsDropped(
      Subscription subscription, int shard, long droppedCount, long nextOffset) {
    drops.add(new Drop(shard, droppedCount, nextOffset));
  }

  @Override
  public void onResumeGap(
      Subscription subscription, int shard, long expectedOffset, long resumedOffset) {
    resumeGaps.add(new ResumeGap(shard, expectedOffset, resumedOffset));
  }

  @Override
  public void onSubscriptionEnded(Subscription subscription, FelixException cause) {
    subscriptionEnds.add(cause);
  }

  @Override
  public void onPublishFailed(StreamRef stream, FelixException error) {
    errors.add(error);
  }

  @Override
  public void onError(FelixException error) {
    errors.add(error);
  }

  long droppedTotal() {
    return drops.stream().mapToLong(Drop::droppedCount).sum();
  }
}
