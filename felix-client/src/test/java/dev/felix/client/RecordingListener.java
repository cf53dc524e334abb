package dev.felix.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.FelixException;
import dev.felix.wire.message.StreamRef;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ClientListener} that records every event, for assertions from the test thread. */
final class RecordingListener implements ClientListener {
  record Connected(ServerInfo server) {}

  record Disconnected(FelixException cause, boolean reconnecting) {}

  record ReconnectFailed(int attempt, FelixException cause) {}

  record Reconnected(ServerInfo server) {}

  record Closed(FelixException cause) {}

  record Dropped(Subscription subscription, int shard, long count, long nextOffset) {}

  record Gap(Subscription subscription, int shard, long expected, long resumed) {}

  record Ended(Subscription subscription, FelixException cause) {}

  record PublishFailed(StreamRef stream, FelixException error) {}

  record ErrorEvent(FelixException error) {}

  final List<Object> events = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();

  private void add(Object event) {
    threads.add(Thread.currentThread().getName());
    events.add(event);
  }

  /** Waits for the first event of {@code type} and returns it. */
  <T> T await(Class<T> type) throws Exception {
    Await.until(type.getSimpleName() + " event", () -> first(type) != null);
    return first(type);
  }

  <T> T first(Class<T> type) {
    for (Object event : events) {
      if (type.isInstance(event)) {
        return type.cast(event);
      }
    }
    return null;
  }

  <T> List<T> all(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  void assertNoErrors() {
    assertThat(all(ErrorEvent.class)).isEmpty();
  }

  @Override
  public void onConnected(ServerInfo server) {
    add(new Connected(server));
  }

  @Override
  public void onDisconnected(FelixException cause, boolean reconnecting) {
    add(new Disconnected(cause, reconnecting));
  }

  @Override
  public void onReconnectFailed(int attempt, FelixException cause) {
    add(new ReconnectFailed(attempt, cause));
  }

  @Override
  public void onReconnected(ServerInfo server) {
    add(new Reconnected(server));
  }

  @Override
  public void onClosed(FelixException cause) {
    add(new Closed(cause));
  }

  @Override
  public void onEventsDropped(
      Subscription subscription, int shard, long droppedCount, long nextOffset) {
    add(new Dropped(subscription, shard, droppedCount, nextOffset));
  }

  @Override
  public void onResumeGap(
      Subscription subscription, int shard, long expectedOffset, long resumedOffset) {
    add(new Gap(subscription, shard, expectedOffset, resumedOffset));
  }

  @Override
  public void onSubscriptionEnded(Subscription subscription, FelixException cause) {
    add(new Ended(subscription, cause));
  }

  @Override
  public void onPublishFailed(StreamRef stream, FelixException error) {
    add(new PublishFailed(stream, error));
  }

  @Override
  public void onError(FelixException error) {
    add(new ErrorEvent(error));
  }
}
