package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ConflictException;
import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.CacheMultiPut;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.CacheValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durable caches in a real broker: answers after the log, restarts, auto-creation and drops. */
class DurableCachesTest {
  private static final CacheRef REF = CacheRef.of("profiles");

  @TempDir Path dataDir;

  private Broker start(CacheStorage autoCreated) {
    CachesConfig caches =
        new CachesConfig(
            true,
            CachesConfig.DEFAULT_MAX_CACHES,
            CachesConfig.DEFAULT_TOTAL_MAX_BYTES,
            CacheStoreConfig.defaults(),
            autoCreated);
    return Broker.start(BrokerConfig.builder().dataDir(dataDir).caches(caches).build());
  }

  private static Bytes utf8(String text) {
    return Bytes.utf8(text);
  }

  @Test
  void contentsAndVersionsSurviveARestart() {
    long lastVersion;
    try (Broker broker = start(CacheStorage.MEMORY)) {
      Caches caches = broker.caches();
      CacheInfo created =
          caches.create(REF, CacheStoreConfig.defaults(), CacheStorage.durable(FsyncPolicy.ALWAYS));
      assertThat(created.storage().durable()).isTrue();
      caches.put(REF, utf8("a"), utf8("1"), 0);
      caches.put(REF, utf8("a"), utf8("2"), 0);
      caches.put(REF, utf8("b"), utf8("1"), 60_000);
      caches.delete(REF, utf8("b"));
      long cas = caches.compareAndSet(REF, utf8("c"), 0, utf8("new"), 0).version();
      lastVersion =
          caches
              .putAll(
                  REF,
                  List.of(
                      new CacheMultiPut.Entry(utf8("d"), utf8("x"), 0),
                      new CacheMultiPut.Entry(utf8("e"), utf8("y"), 0)))
              .get(1)
              .version();
      assertThat(lastVersion).isGreaterThan(cas);
    }
    try (Broker broker = start(CacheStorage.MEMORY)) {
      Caches caches = broker.caches();
      CacheInfo info = caches.describe(REF).orElseThrow();
      assertThat(info.storage().fsync()).isEqualTo(FsyncPolicy.ALWAYS);
      assertThat(info.log().replayedRecords()).isEqualTo(7);
      assertThat(caches.get(REF, utf8("a")).value().toUtf8()).isEqualTo("2");
      assertThat(caches.get(REF, utf8("b")).found()).isFalse();
      assertThat(caches.get(REF, utf8("c")).value().toUtf8()).isEqualTo("new");
      assertThat(caches.get(REF, utf8("e")).version()).isEqualTo(lastVersion);
      assertThat(caches.put(REF, utf8("f"), utf8("z"), 0).version()).isGreaterThan(lastVersion);
      assertThatThrownBy(() -> caches.compareAndSet(REF, utf8("a"), 0, utf8("again"), 0))
          .isInstanceOf(ConflictException.class);
    }
  }

  @Test
  void autoCreatedCachesFollowTheStorageSettingAndDropDeletesTheirFiles() {
    Path cacheDir = dataDir.resolve("caches/default/default/profiles");
    try (Broker broker = start(CacheStorage.durable(FsyncPolicy.NEVER))) {
      broker.caches().put(REF, utf8("k"), utf8("v"), 0);
      assertThat(Files.exists(cacheDir.resolve("cache.properties"))).isTrue();
    }
    try (Broker broker = start(CacheStorage.MEMORY)) {
      assertThat(broker.caches().get(REF, utf8("k")).value().toUtf8()).isEqualTo("v");
      assertThat(broker.caches().drop(REF)).isEqualTo(1);
      assertThat(Files.exists(cacheDir)).isFalse();
    }
    try (Broker broker = start(CacheStorage.MEMORY)) {
      assertThat(broker.caches().describe(REF)).isEmpty();
    }
  }

  @Test
  void concurrentWritersRestoreTheSameContents() throws Exception {
    List<String> before = new ArrayList<>();
    try (Broker broker = start(CacheStorage.durable(FsyncPolicy.INTERVAL))) {
      Caches caches = broker.caches();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        Thread writer =
            new Thread(
                () -> {
                  List<CompletionStage<CacheValue>> answers = new ArrayList<>();
                  for (int i = 0; i < 2_000; i++) {
                    Bytes key = utf8("k" + (i % 50));
                    answers.add(
                        i % 7 == 0
                            ? caches.deleteAsync(REF, key)
                            : caches.putAsync(REF, key, utf8(Thread.currentThread() + "-" + i), 0));
                  }
                  CompletableFuture.allOf(
                          answers.stream()
                              .map(CompletionStage::toCompletableFuture)
                              .toArray(CompletableFuture[]::new))
                      .join();
                });
        writers.add(writer);
        writer.start();
      }
      for (Thread writer : writers) {
        writer.join();
      }
      for (int k = 0; k < 50; k++) {
        CacheValue value = caches.get(REF, utf8("k" + k));
        before.add(value.found() ? value.version() + "=" + value.value().toUtf8() : "-");
      }
    }
    try (Broker broker = start(CacheStorage.MEMORY)) {
      List<String> after = new ArrayList<>();
      for (int k = 0; k < 50; k++) {
        CacheValue value = broker.caches().get(REF, utf8("k" + k));
        after.add(value.found() ? value.version() + "=" + value.value().toUtf8() : "-");
      }
      assertThat(after).isEqualTo(before);
    }
  }

  @Test
  void aDurableCacheNeedsADataDirectory() {
    try (Broker broker = Broker.start(BrokerConfig.defaults())) {
      assertThatThrownBy(
              () ->
                  broker
                      .caches()
                      .create(
                          REF,
                          CacheStoreConfig.defaults(),
                          CacheStorage.durable(FsyncPolicy.ALWAYS)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("data directory");
    }
  }
}
