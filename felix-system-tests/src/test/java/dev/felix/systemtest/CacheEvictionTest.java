package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A cache with a 1 MiB bound stays under it while clients write ten times as much. */
class CacheEvictionTest {
  private static final long CAP = 1024 * 1024;

  @RegisterExtension
  static final EmbeddedFelix FELIX =
      EmbeddedFelix.with("FELIX_CACHE_MAX_BYTES", Long.toString(CAP));

  @Test
  void memoryStaysUnderTheByteCapWhileWritingTenTimesIt() throws Exception {
    FelixClient client = FELIX.connect();
    String name = EmbeddedFelix.uniqueStream("bounded");
    FelixCache cache = client.cache(name);
    String labels = "{cache=\"" + name + "\",felix_namespace=\"default\",tenant=\"default\"}";
    byte[] value = new byte[1024];
    long written = 0;
    int key = 0;
    double highest = 0;
    while (written < 10 * CAP) {
      List<CompletableFuture<Long>> batch = new ArrayList<>();
      for (int i = 0; i < 256; i++) {
        batch.add(cache.putAsync(("key-" + key++).getBytes(), value, null));
        written += value.length;
      }
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      double bytes = FELIX.metrics().value("felix_cache_bytes" + labels);
      highest = Math.max(highest, bytes);
      assertThat(bytes).isLessThanOrEqualTo(CAP);
    }
    Metrics metrics = FELIX.metrics();
    assertThat(metrics.value("felix_cache_evictions_total" + labels)).isPositive();
    assertThat(metrics.value("felix_cache_max_bytes" + labels)).isEqualTo(CAP);
    assertThat(highest).isGreaterThan(CAP / 2.0);
  }
}
