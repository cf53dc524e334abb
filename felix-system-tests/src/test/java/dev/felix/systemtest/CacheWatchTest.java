package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.CacheWatchEvent;
import dev.felix.client.CacheWatchHandle;
import dev.felix.client.CacheWatchListener;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cache watches over QUIC: snapshot then every change under concurrent writers; slow watchers. */
class CacheWatchTest {
  @RegisterExtension
  static final EmbeddedFelix FELIX = EmbeddedFelix.with("FELIX_CACHE_WATCH_BUFFER_CHANGES", "200");

  /** Keeps the watcher's view: applies each event in order, checking versions as it goes. */
  private static final class View implements CacheWatchListener {
    final Map<String, Long> versions = new TreeMap<>();
    final Map<String, String> values = new TreeMap<>();
    final List<String> problems = new ArrayList<>();
    final CompletableFuture<Void> snapshot = new CompletableFuture<>();
    final CompletableFuture<FelixException> error = new CompletableFuture<>();
    volatile long changes;

    @Override
    public synchronized void onSnapshotEntry(CacheWatchEvent entry) {
      if (snapshot.isDone()) {
        problems.add("snapshot entry after the marker: " + entry);
      }
      apply(entry);
    }

    @Override
    public void onSnapshotComplete() {
      snapshot.complete(null);
    }

    @Override
    public synchronized void onChange(CacheWatchEvent change) {
      if (!snapshot.isDone()) {
        problems.add("change before the snapshot marker: " + change);
      }
      changes++;
      apply(change);
    }

    @Override
    public void onError(FelixException failure) {
      error.complete(failure);
    }

    private void apply(CacheWatchEvent event) {
      String key = event.keyAsString();
      Long held = versions.get(key);
      if (event.kind().isRemoval()) {
        if (held == null || held != event.version()) {
          problems.add("removal of v" + event.version() + " but held " + held + ": " + key);
        }
        versions.remove(key);
        values.remove(key);
      } else {
        if (held != null && held >= event.version()) {
          problems.add("stale or duplicate v" + event.version() + " after v" + held + ": " + key);
        }
        versions.put(key, event.version());
        values.put(key, event.valueAsString());
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aWatchSeesTheSnapshotThenEveryChangeOfConcurrentWriters() throws Exception {
    String name = EmbeddedFelix.uniqueStream("watched");
    FelixClient writerClient = FELIX.connect();
    FelixCache writer = writerClient.cache(name);
    for (int i = 0; i < 100; i++) {
      writer.put("user:" + i, "initial", null);
    }
    writer.put("other:1", "not watched", null);

    // Writers run while the watch starts and its snapshot is sent.
    List<CompletableFuture<?>> writes = new ArrayList<>();
    Thread writers =
        new Thread(
            () -> {
              for (int i = 0; i < 3_000; i++) {
                byte[] key = bytes("user:" + (i * 13 % 120));
                writes.add(
                    i % 6 == 0
                        ? writer.deleteAsync(key)
                        : writer.putAsync(key, bytes("v" + i), null));
              }
            });
    View view = new View();
    FelixClient watcherClient = FELIX.connect();
    writers.start();
    try (CacheWatchHandle watch = watcherClient.cache(name).watch("user:", view)) {
      writers.join();
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      view.snapshot.get(30, TimeUnit.SECONDS);
      // Every write is answered; a last marker write tells when the watch has caught up.
      long marker = writer.put("user:marker", "done", null);
      Await.until(
          "the watch saw the marker",
          () -> {
            synchronized (view) {
              Long seen = view.versions.get("user:marker");
              return seen != null && seen == marker;
            }
          });
      assertThat(watch.isActive()).isTrue();
    }
    Map<String, String> actual = new TreeMap<>();
    for (int i = 0; i < 120; i++) {
      String key = "user:" + i;
      writer.get(key).ifPresent(e -> actual.put(key, e.valueAsString()));
    }
    actual.put("user:marker", "done");
    synchronized (view) {
      assertThat(view.problems).isEmpty();
      assertThat(view.values).isEqualTo(actual);
      assertThat(view.changes).isPositive();
    }
    assertThat(view.error).isNotDone();
    assertThat(FELIX.metrics().value("felix_cache_watch_changes_total")).isPositive();
  }

  @Test
  void aWatcherThatStopsReadingIsEndedWithSlowConsumer() throws Exception {
    String name = EmbeddedFelix.uniqueStream("slow-watch");
    FelixCache writer = FELIX.connect().cache(name);
    writer.put("k", "v", null);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<FelixException> error = new CompletableFuture<>();
    CacheWatchListener stuck =
        new CacheWatchListener() {
          @Override
          public void onSnapshotEntry(CacheWatchEvent entry) {}

          @Override
          public void onChange(CacheWatchEvent change) {
            try {
              // Holds the watcher's I/O thread: nothing more is read from the server.
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void onError(FelixException failure) {
            error.complete(failure);
          }
        };
    FelixClient watcherClient = FELIX.connect();
    try (CacheWatchHandle watch = watcherClient.cache(name).watch("", stuck)) {
      byte[] value = new byte[16 * 1024];
      double before = FELIX.metrics().value("felix_cache_watches_slow_total");
      Await.until(
          "the broker ended the watch",
          () -> {
            for (int i = 0; i < 50; i++) {
              writer.putAsync(bytes("k" + (i % 10)), value, null);
            }
            return FELIX.metrics().value("felix_cache_watches_slow_total") > before;
          });
      release.countDown();
      assertThat(error.get(30, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.SLOW_CONSUMER);
      assertThat(watch.isActive()).isFalse();
    }
    // The writer was never held back, and a new watch starts with a fresh snapshot.
    View again = new View();
    try (CacheWatchHandle watch = FELIX.connect().cache(name).watch("", again)) {
      again.snapshot.get(30, TimeUnit.SECONDS);
      synchronized (again) {
        assertThat(again.versions).containsKeys("k", "k0");
      }
    }
  }

  @Test
  void watchingAnUnknownCacheFailsTyped() throws Exception {
    View view = new View();
    FELIX.connect().cache(EmbeddedFelix.uniqueStream("absent")).watch("", view);
    assertThat(view.error.get(30, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }
}
