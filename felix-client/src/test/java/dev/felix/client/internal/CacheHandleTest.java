package dev.felix.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.CacheWatchHandle;
import dev.felix.client.CacheWatchListener;
import dev.felix.wire.MessageType;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.CacheWatch;
import dev.felix.wire.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What a cache handle tells its caller about each call: the description its errors carry. */
class CacheHandleTest {
  private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

  @Test
  void everyCallIsDescribedByItsOperationAndCacheOnTheWireAndInTheWait() {
    RecordingCaller caller = new RecordingCaller();
    CacheHandle cache = new CacheHandle(new CacheRef("acme", "orders", "sessions"), caller);

    var unused =
        List.of(
            cache.getAsync(KEY),
            cache.putAsync(KEY, KEY, null),
            cache.deleteAsync(KEY),
            cache.compareAndSetAsync(KEY, 3, KEY, null),
            cache.getAllAsync(List.of(KEY)),
            cache.putAllAsync(Map.of(KEY, KEY), null));
    cache.get(KEY);
    cache.get(KEY);

    String on = " on acme/orders/sessions";
    assertThat(caller.sent)
        .containsExactly(
            "cache get" + on,
            "cache put" + on,
            "cache delete" + on,
            "cache compare-and-set" + on,
            "cache multi-get" + on,
            "cache multi-put" + on,
            "cache get" + on,
            "cache get" + on);
    assertThat(caller.awaited).containsExactly("cache get" + on, "cache get" + on);
    // Built once per handle and operation, not per call.
    assertThat(caller.sent.get(6)).isSameAs(caller.sent.get(0)).isSameAs(caller.awaited.get(1));
  }

  /** Records descriptions; every call stays unanswered, every wait returns null. */
  private static final class RecordingCaller implements CacheCaller {
    final List<String> sent = new ArrayList<>();
    final List<String> awaited = new ArrayList<>();

    @Override
    public CompletableFuture<Message> call(
        Message request, MessageType answer, String description) {
      sent.add(description);
      return new CompletableFuture<>();
    }

    @Override
    public <T> T await(CompletableFuture<T> result, String description) {
      awaited.add(description);
      return null;
    }

    @Override
    public CacheWatchHandle watch(CacheWatch request, CacheWatchListener listener) {
      throw new UnsupportedOperationException();
    }
  }
}
