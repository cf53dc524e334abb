package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.storage.time.ManualClock;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.CacheChange;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.CacheValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Cache watches in the broker: snapshot then changes without gap or duplicate, and the bounds. */
class CacheWatchTest {
  private static final CacheRef REF = CacheRef.of("flags");
  private final ManualClock clock = new ManualClock();

  /** Records what a watch sends and replays it into the client's view. */
  private static final class RecordingSink implements CacheWatch.Sink {
    final List<CacheChange> changes = new ArrayList<>();
    final Map<String, Long> view = new TreeMap<>();
    final AtomicBoolean writable = new AtomicBoolean(true);
    int snapshotEntries = -1;
    FelixException ended;

    @Override
    public synchronized void send(List<CacheChange> batch, boolean snapshotComplete) {
      for (CacheChange change : batch) {
        changes.add(change);
        String key = change.key().toUtf8();
        if (change.kind().isRemoval()) {
          assertThat(view.remove(key)).as("removal of a held entry").isEqualTo(change.version());
        } else {
          Long before = view.put(key, change.version());
          assertThat(before == null || before < change.version()).as("newer version").isTrue();
        }
      }
      if (snapshotComplete) {
        assertThat(snapshotEntries).as("one snapshot marker").isEqualTo(-1);
        snapshotEntries = changes.size();
      }
    }

    @Override
    public boolean writable() {
      return writable.get();
    }

    @Override
    public synchronized void ended(FelixException reason) {
      ended = reason;
    }
  }

  private Caches caches(CacheWatchConfig watches) {
    return new Caches(BrokerConfig.builder().cacheWatches(watches).build(), clock);
  }

  private static Bytes utf8(String text) {
    return Bytes.utf8(text);
  }

  @Test
  void theSnapshotThenEveryChangeOfMatchingKeys() {
    Caches caches = caches(CacheWatchConfig.DEFAULTS);
    caches.put(REF, utf8("a:1"), utf8("x"), 0);
    caches.put(REF, utf8("b:1"), utf8("y"), 0);
    RecordingSink sink = new RecordingSink();
    caches.watch(REF, utf8("a:"), sink);
    assertThat(sink.snapshotEntries).isEqualTo(1);
    assertThat(sink.changes.get(0).kind()).isEqualTo(CacheChange.Kind.SNAPSHOT);

    caches.put(REF, utf8("a:2"), utf8("z"), 0);
    caches.put(REF, utf8("b:2"), utf8("ignored"), 0);
    caches.delete(REF, utf8("a:1"));
    assertThat(sink.changes)
        .extracting(CacheChange::kind)
        .containsExactly(CacheChange.Kind.SNAPSHOT, CacheChange.Kind.PUT, CacheChange.Kind.DELETE);
    assertThat(sink.view).containsOnlyKeys("a:2");
    assertThat(caches.activeWatches()).isEqualTo(1);
  }

  @Test
  void expiriesAndEvictionsAreReportedAsRemovals() {
    Caches caches = caches(CacheWatchConfig.DEFAULTS);
    long bound = (160 + 2 + 100) * 2; // two entries of EntryWeight (160 bytes overhead)
    caches.create(REF, new CacheStoreConfig(bound, 0, 0, 1000));
    RecordingSink sink = new RecordingSink();
    caches.watch(REF, Bytes.EMPTY, sink);
    caches.put(REF, utf8("t"), utf8("v"), 50);
    clock.advanceMillis(100);
    for (int i = 0; i < 5; i++) {
      caches.put(REF, utf8("k" + i), Bytes.wrap(new byte[100]), 0);
    }
    assertThat(sink.changes)
        .extracting(CacheChange::kind)
        .contains(CacheChange.Kind.EXPIRED, CacheChange.Kind.EVICTED);
    assertThat(sink.view.size()).isEqualTo(caches.describe(REF).orElseThrow().entries());
  }

  @Test
  void underConcurrentWritersTheViewEqualsTheCache() throws Exception {
    Caches caches = caches(new CacheWatchConfig(10, 10, 1_000_000));
    for (int i = 0; i < 200; i++) {
      caches.put(REF, utf8("k" + i), utf8("v" + i), 0);
    }
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int seed = w;
      Thread writer =
          new Thread(
              () -> {
                for (int i = 0; i < 20_000; i++) {
                  Bytes key = utf8("k" + ((i * 7 + seed) % 200));
                  if (i % 5 == 0) {
                    caches.delete(REF, key);
                  } else {
                    caches.put(REF, key, utf8(seed + ":" + i), 0);
                  }
                }
              });
      writers.add(writer);
      writer.start();
    }
    RecordingSink sink = new RecordingSink();
    caches.watch(REF, Bytes.EMPTY, sink);
    for (Thread writer : writers) {
      writer.join();
    }
    Map<String, Long> actual = new TreeMap<>();
    for (int i = 0; i < 200; i++) {
      CacheValue value = caches.get(REF, utf8("k" + i));
      if (value.found()) {
        actual.put("k" + i, value.version());
      }
    }
    synchronized (sink) {
      assertThat(sink.view).isEqualTo(actual);
      assertThat(sink.ended).isNull();
    }
  }

  @Test
  void aWatcherThatDoesNotKeepUpIsEndedWithSlowConsumer() {
    Caches caches = caches(new CacheWatchConfig(10, 10, 5));
    caches.put(REF, utf8("k"), utf8("v"), 0);
    RecordingSink sink = new RecordingSink();
    caches.watch(REF, Bytes.EMPTY, sink);
    sink.writable.set(false);
    for (int i = 0; i < 5; i++) {
      caches.put(REF, utf8("k"), utf8("v" + i), 0);
    }
    assertThat(sink.ended).isNull();
    caches.put(REF, utf8("k"), utf8("one too many"), 0);
    assertThat(sink.ended.code()).isEqualTo(ErrorCode.SLOW_CONSUMER);
    assertThat(caches.slowWatches()).isEqualTo(1);
    assertThat(caches.activeWatches()).isZero();
  }

  @Test
  void bufferedChangesGoOutWhenTheSinkIsWritableAgain() {
    Caches caches = caches(CacheWatchConfig.DEFAULTS);
    caches.put(REF, utf8("k"), utf8("v"), 0);
    RecordingSink sink = new RecordingSink();
    CacheWatch watch = caches.watch(REF, Bytes.EMPTY, sink);
    sink.writable.set(false);
    caches.put(REF, utf8("k"), utf8("v2"), 0);
    assertThat(sink.changes).hasSize(1);
    sink.writable.set(true);
    watch.writable();
    assertThat(sink.changes).hasSize(2);
    assertThat(sink.view).containsEntry("k", 2L);
  }

  @Test
  void unknownCachesLimitsAndDropsEndWatchesTyped() {
    Caches caches = caches(new CacheWatchConfig(1, 1, 10));
    assertThatThrownBy(() -> caches.watch(REF, Bytes.EMPTY, new RecordingSink()))
        .satisfies(e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    caches.put(REF, utf8("k"), utf8("v"), 0);
    RecordingSink first = new RecordingSink();
    caches.watch(REF, Bytes.EMPTY, first);
    assertThatThrownBy(() -> caches.watch(REF, Bytes.EMPTY, new RecordingSink()))
        .satisfies(
            e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
    caches.drop(REF);
    assertThat(first.ended.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(caches.activeWatches()).isZero();
  }
}
