package dev.felix.storage.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ConflictException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.storage.time.ManualClock;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.CacheValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CacheStoreTest {
  private final ManualClock clock = new ManualClock();

  private CacheStore store(CacheStoreConfig config) {
    return new CacheStore(config, clock);
  }

  private static Bytes b(String text) {
    return Bytes.utf8(text);
  }

  @Test
  void getReturnsWhatPutStoredWithVersionAndNoExpiry() {
    CacheStore cache = store(CacheStoreConfig.defaults());
    CacheValue put = cache.put(b("k"), b("v1"), 0);
    assertThat(put.found()).isTrue();
    assertThat(put.value().length()).isZero();
    assertThat(put.ttlRemainingMs()).isEqualTo(-1);

    CacheValue got = cache.get(b("k"));
    assertThat(got.found()).isTrue();
    assertThat(got.value()).isEqualTo(b("v1"));
    assertThat(got.version()).isEqualTo(put.version());
    assertThat(got.ttlRemainingMs()).isEqualTo(-1);
    assertThat(cache.metrics().hits()).isEqualTo(1);
    assertThat(cache.metrics().puts()).isEqualTo(1);
  }

  @Test
  void reconfigureAppliesNewTtlDefaultsToNewWritesOnlyAndKeepsTheBound() {
    CacheStore cache = store(CacheStoreConfig.defaults());
    cache.put(b("old"), b("v"), 0);
    cache.reconfigure(new CacheStoreConfig(CacheStoreConfig.DEFAULT_MAX_BYTES, 1000, 0, 16));
    cache.put(b("new"), b("v"), 0);
    clock.advanceMillis(1000);
    assertThat(cache.get(b("old")).found()).as("stored before: no deadline").isTrue();
    assertThat(cache.get(b("new")).found()).as("stored after: the new default TTL").isFalse();
    assertThatThrownBy(() -> cache.put(b("big"), b("x".repeat(17)), 0))
        .isInstanceOf(FelixException.class);
    assertThatThrownBy(
            () ->
                cache.reconfigure(
                    new CacheStoreConfig(CacheStoreConfig.DEFAULT_MAX_BYTES * 2, 0, 0, 16)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fixed at creation");
  }

  @Test
  void missOnAbsentKeyIsCounted() {
    CacheStore cache = store(CacheStoreConfig.defaults());
    assertThat(cache.get(b("none"))).isEqualTo(CacheValue.MISS);
    assertThat(cache.metrics().misses()).isEqualTo(1);
  }

  @Test
  void versionsStrictlyIncreasePerKeyAcrossDeletes() {
    CacheStore cache = store(CacheStoreConfig.defaults());
    long v1 = cache.put(b("k"), b("a"), 0).version();
    long v2 = cache.put(b("k"), b("b"), 0).version();
    CacheValue deleted = cache.delete(b("k"));
    long v3 = cache.put(b("k"), b("c"), 0).version();
    assertThat(v1).isPositive();
    assertThat(v2).isGreaterThan(v1);
    assertThat(deleted.found()).isTrue();
    assertThat(deleted.version()).isEqualTo(v2);
    assertThat(v3).isGreaterThan(v2);
  }

  @Test
  void entryPastItsTtlIsNeverReturnedEvenBeforeCollection() {
    CacheStore cache = store(CacheStoreConfig.defaults());
    cache.put(b("k"), b("v"), 1000);
    clock.advanceMillis(999);
    CacheValue live = cache.get(b("k"));
    assertThat(live.found()).isTrue();
    assertThat(live.ttlRemainingMs()).isEqualTo(1);

    clock.advanceMillis(1);
    assertThat(cache.get(b("k")).found()).isFalse();
    assertThat(cache.delete(b("k")).found()).isFalse();
    cache.cleanUp();
    assertThat(cache.entries()).isZero();
    assertThat(cache.metrics().expirations()).isEqualTo(1);
  }

  @Test
  void ttlZeroTakesTheDefaultAndRequestsAreCappedByTheMaximum() {
    CacheStore cache = store(new CacheStoreConfig(1 << 20, 5_000, 60_000, 1024));
    assertThat(cache.put(b("default"), b("v"), 0).ttlRemainingMs()).isEqualTo(5_000);
    assertThat(cache.put(b("asked"), b("v"), 10_000).ttlRemainingMs()).isEqualTo(10_000);
    assertThat(cache.put(b("capped"), b("v"), 3_600_000).ttlRemainingMs()).isEqualTo(60_000);
    clock.advance(Duration.ofSeconds(61));
    assertThat(cache.get(b("capped")).found()).isFalse();
  }

  @Test
  void negativeTtlAndEmptyKeyAreInvalidArguments() {
    CacheStore cache = store(CacheStoreConfig.defaults());
    assertThatThrownBy(() -> cache.put(b("k"), b("v"), -1))
        .isInstanceOf(FelixException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThatThrownBy(() -> cache.put(Bytes.EMPTY, b("v"), 0))
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void oversizedValuesAndEntriesThatCanNeverFitAreRefusedAndCounted() {
    CacheStore cache = store(new CacheStoreConfig(EntryWeight.of(1, 100), 0, 0, 200));
    assertThatThrownBy(() -> cache.put(b("k"), Bytes.wrap(new byte[201]), 0))
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
    assertThatThrownBy(() -> cache.put(b("k"), Bytes.wrap(new byte[150]), 0))
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
    assertThat(cache.metrics().rejected()).isEqualTo(2);
    assertThat(cache.entries()).isZero();
  }

  @Test
  void compareAndSetPutIfAbsentAndReplaceIfVersion() {
    CacheStore cache = store(CacheStoreConfig.defaults());
    long first = cache.compareAndSet(b("k"), 0, b("a"), 0).version();
    assertThatThrownBy(() -> cache.compareAndSet(b("k"), 0, b("b"), 0))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.CONFLICT);
    long second = cache.compareAndSet(b("k"), first, b("c"), 0).version();
    assertThatThrownBy(() -> cache.compareAndSet(b("k"), first, b("d"), 0))
        .isInstanceOf(ConflictException.class);
    assertThat(cache.get(b("k")).value()).isEqualTo(b("c"));
    assertThat(cache.get(b("k")).version()).isEqualTo(second);
    assertThat(cache.metrics().casConflicts()).isEqualTo(2);
  }

  @Test
  void putIfAbsentSucceedsOnAnExpiredEntry() {
    CacheStore cache = store(CacheStoreConfig.defaults());
    cache.put(b("k"), b("old"), 10);
    clock.advanceMillis(10);
    cache.compareAndSet(b("k"), 0, b("new"), 0);
    assertThat(cache.get(b("k")).value()).isEqualTo(b("new"));
  }

  @Test
  void negativeExpectedVersionIsInvalid() {
    CacheStore cache = store(CacheStoreConfig.defaults());
    assertThatThrownBy(() -> cache.compareAndSet(b("k"), -1, b("v"), 0))
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void exactlyOneOfManyConcurrentPutIfAbsentWins() throws Exception {
    CacheStore cache = store(CacheStoreConfig.defaults());
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Bytes value = b("writer-" + i);
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    cache.compareAndSet(b("lock"), 0, value, 0);
                    return true;
                  } catch (ConflictException e) {
                    return false;
                  }
                }));
      }
      start.countDown();
      int winners = 0;
      for (Future<Boolean> result : results) {
        winners += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
      assertThat(cache.metrics().casConflicts()).isEqualTo(threads - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void memoryStaysUnderTheCapWhileWritingTenTimesIt() {
    long cap = 1 << 20;
    CacheStore cache = store(new CacheStoreConfig(cap, 0, 0, 4096));
    Bytes value = Bytes.wrap(new byte[1024]);
    long written = 0;
    int i = 0;
    while (written < 10 * cap) {
      cache.put(b("key-" + i++), value, 0);
      written += EntryWeight.of(8, 1024);
      assertThat(cache.weightedBytes()).isLessThanOrEqualTo(cap);
    }
    assertThat(cache.metrics().evictions()).isPositive();
    assertThat(cache.weightedBytes()).isGreaterThan(cap / 2);
  }

  @Test
  void multiPutChecksEveryEntryBeforeWritingAny() {
    CacheStore cache = store(new CacheStoreConfig(1 << 20, 0, 0, 10));
    assertThatThrownBy(
            () ->
                cache.putAll(
                    List.of(b("a"), b("b")),
                    List.of(b("ok"), Bytes.wrap(new byte[11])),
                    List.of(0L, 0L)))
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
    assertThat(cache.get(b("a")).found()).isFalse();

    List<CacheValue> answers =
        cache.putAll(List.of(b("a"), b("b")), List.of(b("1"), b("2")), List.of(0L, 500L));
    assertThat(answers).hasSize(2).allMatch(CacheValue::found);
    assertThat(answers.get(1).ttlRemainingMs()).isEqualTo(500);
    List<CacheValue> got = cache.getAll(List.of(b("b"), b("missing"), b("a")));
    assertThat(got.get(0).value()).isEqualTo(b("2"));
    assertThat(got.get(1).found()).isFalse();
    assertThat(got.get(2).value()).isEqualTo(b("1"));
  }

  @Test
  void clearRemovesEverything() {
    CacheStore cache = store(CacheStoreConfig.defaults());
    cache.put(b("a"), b("1"), 0);
    cache.put(b("b"), b("2"), 0);
    assertThat(cache.clear()).isEqualTo(2);
    assertThat(cache.entries()).isZero();
    assertThat(cache.weightedBytes()).isZero();
  }

  @Test
  void configRejectsInconsistentTtls() {
    assertThatThrownBy(() -> new CacheStoreConfig(1 << 20, 0, 1000, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultTtlMs");
    assertThatThrownBy(() -> new CacheStoreConfig(1 << 20, 2000, 1000, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CacheStoreConfig(10, 0, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBytes");
  }

  @Test
  void aClosedCacheRefusesWritesInsteadOfAcknowledgingThem() {
    CacheStore cache = store(CacheStoreConfig.defaults());
    cache.put(b("k"), b("v"), 0);
    assertThat(cache.close()).isEqualTo(1);
    assertThatThrownBy(() -> cache.put(b("k"), b("v"), 0))
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThatThrownBy(() -> cache.compareAndSet(b("n"), 0, b("v"), 0))
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
  }
}
