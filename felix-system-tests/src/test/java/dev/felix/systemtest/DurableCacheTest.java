package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.CacheEntry;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Durable caches over QUIC: a server restarted on the same data directory serves the same data. */
class DurableCacheTest {
  @RegisterExtension
  static final EmbeddedFelix FELIX =
      EmbeddedFelix.with("FELIX_CACHE_STORAGE", "durable", "FELIX_CACHE_FSYNC", "always");

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRestartedServerServesTheSameEntriesAndVersions() throws Exception {
    String name = EmbeddedFelix.uniqueStream("durable-cache");
    FelixClient before = FELIX.connect();
    FelixCache cache = before.cache(name);
    // Many writes in flight at once from one client: each is answered after its fsync.
    List<CompletableFuture<Long>> puts = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      puts.add(cache.putAsync(bytes("k" + (i % 100)), bytes("v" + i), null));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    cache.delete("k0");
    cache.put("ttl", "short-lived", Duration.ofMillis(200));
    long kept = cache.put("ttl-long", "long-lived", Duration.ofMinutes(10));
    Map<String, Optional<CacheEntry>> expected = new HashMap<>();
    for (int k = 0; k < 100; k++) {
      expected.put("k" + k, cache.get("k" + k));
    }
    before.close();

    FELIX.restart();
    Thread.sleep(250); // past the short TTL while nobody watches the clock but the broker

    FelixCache after = FELIX.connect().cache(name);
    for (int k = 0; k < 100; k++) {
      Optional<CacheEntry> got = after.get("k" + k);
      assertThat(got.map(CacheEntry::valueAsString))
          .as("k" + k)
          .isEqualTo(expected.get("k" + k).map(CacheEntry::valueAsString));
      assertThat(got.map(CacheEntry::version))
          .isEqualTo(expected.get("k" + k).map(CacheEntry::version));
    }
    assertThat(after.get("k0")).isEmpty();
    assertThat(after.get("ttl")).isEmpty();
    CacheEntry longLived = after.get("ttl-long").orElseThrow();
    assertThat(longLived.version()).isEqualTo(kept);
    assertThat(longLived.ttlRemaining().orElseThrow()).isLessThanOrEqualTo(Duration.ofMinutes(10));
    assertThat(after.put("new", "value", null)).isGreaterThan(kept);

    Metrics metrics = FELIX.metrics();
    String labels = "{cache=\"" + name + "\",felix_namespace=\"default\",tenant=\"default\"}";
    assertThat(metrics.value("felix_cache_log_bytes" + labels)).isPositive();
    assertThat(metrics.value("felix_cache_log_replayed_records" + labels)).isPositive();
    assertThat(metrics.value("felix_cache_log_errors_total" + labels)).isZero();
  }
}
