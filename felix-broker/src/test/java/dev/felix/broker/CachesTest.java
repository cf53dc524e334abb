package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.storage.time.ManualClock;
import dev.felix.wire.Bytes;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.CacheMultiPut;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.CacheValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachesTest {
  private static final long MIB = 1024 * 1024;
  private final ManualClock clock = new ManualClock();

  private Caches caches(CachesConfig config) {
    return new Caches(BrokerConfig.builder().caches(config).build(), clock);
  }

  private static ErrorCode codeOf(Throwable e) {
    return ((FelixException) e).code();
  }

  @Test
  void firstWriteCreatesTheCacheButReadsDoNot() {
    Caches caches = caches(CachesConfig.DEFAULTS);
    CacheRef ref = CacheRef.of("sessions");
    assertThat(caches.get(ref, Bytes.utf8("k"))).isEqualTo(CacheValue.MISS);
    assertThat(caches.delete(ref, Bytes.utf8("k"))).isEqualTo(CacheValue.MISS);
    assertThat(caches.describe(ref)).isEmpty();

    caches.put(ref, Bytes.utf8("k"), Bytes.utf8("v"), 0);
    assertThat(caches.describe(ref))
        .hasValueSatisfying(info -> assertThat(info.entries()).isEqualTo(1));
    assertThat(caches.reservedBytes()).isEqualTo(CacheStoreConfig.DEFAULT_MAX_BYTES);
  }

  @Test
  void withAutoCreateOffUnknownCachesAreNotFound() {
    Caches caches = caches(new CachesConfig(false, 10, 256 * MIB, CacheStoreConfig.defaults()));
    CacheRef ref = CacheRef.of("absent");
    assertThatThrownBy(() -> caches.get(ref, Bytes.utf8("k")))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> caches.put(ref, Bytes.utf8("k"), Bytes.utf8("v"), 0))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_FOUND));

    caches.create(ref, CacheStoreConfig.defaults());
    caches.put(ref, Bytes.utf8("k"), Bytes.utf8("v"), 0);
    assertThat(caches.get(ref, Bytes.utf8("k")).found()).isTrue();
  }

  @Test
  void theMemoryBudgetBoundsTheSumOfCacheBounds() {
    CacheStoreConfig small = new CacheStoreConfig(4 * MIB, 0, 0, 1024);
    Caches caches = caches(new CachesConfig(true, 100, 10 * MIB, small));
    caches.put(CacheRef.of("a"), Bytes.utf8("k"), Bytes.utf8("v"), 0);
    caches.put(CacheRef.of("b"), Bytes.utf8("k"), Bytes.utf8("v"), 0);
    assertThatThrownBy(() -> caches.put(CacheRef.of("c"), Bytes.utf8("k"), Bytes.utf8("v"), 0))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
        .hasMessageContaining("budget");
    assertThat(caches.limitRejections()).isEqualTo(1);

    assertThat(caches.drop(CacheRef.of("a"))).isEqualTo(1);
    caches.put(CacheRef.of("c"), Bytes.utf8("k"), Bytes.utf8("v"), 0);
    assertThat(caches.reservedBytes()).isEqualTo(8 * MIB);
  }

  @Test
  void theCacheCountIsBounded() {
    CacheStoreConfig small = new CacheStoreConfig(MIB, 0, 0, 1024);
    Caches caches = caches(new CachesConfig(true, 1, 10 * MIB, small));
    caches.create(CacheRef.of("one"), small);
    assertThatThrownBy(() -> caches.create(CacheRef.of("two"), small))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
    assertThatThrownBy(() -> caches.create(CacheRef.of("one"), small))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.ALREADY_EXISTS));
  }

  @Test
  void cachesAreScopedByTenantAndNamespace() {
    Caches caches = caches(CachesConfig.DEFAULTS);
    CacheRef mine = new CacheRef("acme", "prod", "users");
    CacheRef theirs = new CacheRef("globex", "prod", "users");
    caches.put(mine, Bytes.utf8("k"), Bytes.utf8("acme"), 0);
    assertThat(caches.get(theirs, Bytes.utf8("k")).found()).isFalse();
    assertThat(caches.get(mine, Bytes.utf8("k")).value()).isEqualTo(Bytes.utf8("acme"));
  }

  @Test
  void multiGetRefusesAnAnswerLargerThanAFrame() {
    WireLimits limits = WireLimits.DEFAULTS;
    Caches caches =
        new Caches(
            BrokerConfig.builder()
                .caches(
                    new CachesConfig(
                        true, 10, 256 * MIB, new CacheStoreConfig(64 * MIB, 0, 0, 1024 * 1024)))
                .build(),
            clock);
    CacheRef ref = CacheRef.of("big");
    Bytes value = Bytes.wrap(new byte[1024 * 1024]);
    int keys = limits.maxFramePayloadBytes() / value.length() + 1;
    List<CacheMultiPut.Entry> entries = new java.util.ArrayList<>();
    List<Bytes> names = new java.util.ArrayList<>();
    for (int i = 0; i < keys; i++) {
      entries.add(new CacheMultiPut.Entry(Bytes.utf8("k" + i), value, 0));
      names.add(Bytes.utf8("k" + i));
    }
    caches.putAll(ref, entries);
    assertThatThrownBy(() -> caches.getAll(ref, names))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
    assertThat(caches.getAll(ref, names.subList(0, 3))).hasSize(3).allMatch(CacheValue::found);
  }

  @Test
  void aCacheWhoseValuesCannotFitAFrameIsRefused() {
    assertThatThrownBy(
            () ->
                BrokerConfig.builder()
                    .caches(
                        new CachesConfig(
                            true,
                            10,
                            256 * MIB,
                            new CacheStoreConfig(64 * MIB, 0, 0, 16 * 1024 * 1024)))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("caches.defaults");
  }
}
