package dev.felix.systemtest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.client.CacheEntry;
import dev.felix.client.ConnectionState;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.wire.Bytes;
import dev.felix.wire.Frame;
import dev.felix.wire.MessageType;
import dev.felix.wire.message.CacheGet;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.ErrorReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cache over real QUIC: every call, TTL, compare-and-set races, pipelining, typed errors. */
class CacheTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final EmbeddedFelix FELIX =
      EmbeddedFelix.with(
          // Small caches: every test makes its own, and each takes its bound from the budget.
          "FELIX_CACHE_MAX_BYTES", "4194304", "FELIX_CACHE_MAX_VALUE_BYTES", "65536");

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static FelixCache cache(FelixClient client) {
    return client.cache(EmbeddedFelix.uniqueStream("cache"));
  }

  @Test
  void everyCallRoundTrips() {
    FelixCache cache = cache(FELIX.connect());

    assertThat(cache.get("user:1")).isEmpty();
    long v1 = cache.put("user:1", "ada", null);
    Optional<CacheEntry> got = cache.get("user:1");
    assertThat(got)
        .hasValueSatisfying(
            e -> {
              assertThat(e.valueAsString()).isEqualTo("ada");
              assertThat(e.version()).isEqualTo(v1);
              assertThat(e.ttlRemaining()).isEmpty();
            });

    OptionalLong v2 = cache.compareAndSet(bytes("user:1"), v1, bytes("grace"), null);
    assertThat(v2).isPresent();
    assertThat(cache.compareAndSet(bytes("user:1"), v1, bytes("stale"), null)).isEmpty();
    assertThat(cache.putIfAbsent(bytes("user:1"), bytes("x"), null)).isEmpty();
    assertThat(cache.putIfAbsent(bytes("user:2"), bytes("linus"), null)).isPresent();

    Map<byte[], byte[]> many = new LinkedHashMap<>();
    many.put(bytes("a"), bytes("1"));
    many.put(bytes("b"), bytes("2"));
    List<Long> versions = cache.putAll(many, Duration.ofMinutes(5));
    assertThat(versions).hasSize(2).allMatch(v -> v > 0);
    List<Optional<CacheEntry>> all = cache.getAll(List.of(bytes("b"), bytes("none"), bytes("a")));
    assertThat(all.get(0)).hasValueSatisfying(e -> assertThat(e.valueAsString()).isEqualTo("2"));
    assertThat(all.get(1)).isEmpty();
    assertThat(all.get(2).orElseThrow().ttlRemaining().orElseThrow())
        .isLessThanOrEqualTo(Duration.ofMinutes(5))
        .isGreaterThan(Duration.ofMinutes(4));

    assertThat(cache.delete("user:1")).isTrue();
    assertThat(cache.delete("user:1")).isFalse();
    assertThat(cache.get("user:1")).isEmpty();
    assertThat(cache.get(bytes("user:2")).orElseThrow().valueAsString()).isEqualTo("linus");
  }

  @Test
  void anEntryIsGoneOnceItsTtlPassed() throws Exception {
    FelixCache cache = cache(FELIX.connect());
    cache.put(bytes("short"), bytes("v"), Duration.ofMillis(300));
    cache.put(bytes("long"), bytes("v"), Duration.ofMinutes(1));
    assertThat(cache.get("short").orElseThrow().ttlRemaining().orElseThrow())
        .isLessThanOrEqualTo(Duration.ofMillis(300));
    Thread.sleep(400);
    assertThat(cache.get("short")).isEmpty();
    assertThat(cache.get("long")).isPresent();
  }

  @Test
  void ofTwoClientsRacingACompareAndSetExactlyOneWins() throws Exception {
    FelixClient first = FELIX.connect();
    FelixClient second = FELIX.connect();
    String name = EmbeddedFelix.uniqueStream("race");
    FelixCache a = first.cache(name);
    FelixCache b = second.cache(name);
    for (int round = 0; round < 50; round++) {
      byte[] key = bytes("counter-" + round);
      long start = a.put(key, bytes("0"), null);
      CountDownLatch go = new CountDownLatch(1);
      CompletableFuture<OptionalLong> fromA =
          CompletableFuture.supplyAsync(() -> race(go, a, key, start, "a"));
      CompletableFuture<OptionalLong> fromB =
          CompletableFuture.supplyAsync(() -> race(go, b, key, start, "b"));
      go.countDown();
      OptionalLong resultA = fromA.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      OptionalLong resultB = fromB.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(resultA.isPresent() ^ resultB.isPresent())
          .as("round %d: exactly one compare-and-set wins", round)
          .isTrue();
      String winner = resultA.isPresent() ? "a" : "b";
      assertThat(a.get(key).orElseThrow().valueAsString()).isEqualTo(winner);
    }
  }

  private static OptionalLong race(
      CountDownLatch go, FelixCache cache, byte[] key, long expected, String value) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return cache.compareAndSet(key, expected, bytes(value), null);
  }

  @Test
  void thousandsOfPipelinedCallsFromOneClientAllComplete() throws Exception {
    FelixCache cache = cache(FELIX.connect());
    int calls = 5_000;
    List<CompletableFuture<Long>> puts = new ArrayList<>(calls);
    for (int i = 0; i < calls; i++) {
      puts.add(cache.putAsync(bytes("k" + i), bytes("value-" + i), null));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Set<Long> versions = new HashSet<>();
    for (CompletableFuture<Long> put : puts) {
      versions.add(put.join());
    }
    assertThat(versions).hasSize(calls);

    List<CompletableFuture<Optional<CacheEntry>>> gets = new ArrayList<>(calls);
    for (int i = 0; i < calls; i++) {
      gets.add(cache.getAsync(bytes("k" + i)));
    }
    for (int i = 0; i < calls; i++) {
      assertThat(gets.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow().valueAsString())
          .isEqualTo("value-" + i);
    }
  }

  @Test
  void oversizedValuesAreTypedErrorsAndTheConnectionGoesOn() {
    FelixClient client = FELIX.connect();
    FelixCache cache = cache(client);
    double before = FELIX.metrics().errors("MESSAGE_TOO_LARGE");

    assertThatThrownBy(() -> cache.put(bytes("big"), new byte[65537], null))
        .isInstanceOf(FelixException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
    // Larger than a frame: refused by the client before sending, which would end the stream.
    assertThatThrownBy(() -> cache.put(bytes("huge"), new byte[9 * 1024 * 1024], null))
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
    assertThatThrownBy(() -> cache.put(new byte[0], bytes("v"), null))
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);

    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    cache.put("fine", "v", null);
    assertThat(cache.get("fine")).isPresent();
    assertThat(FELIX.metrics().errors("MESSAGE_TOO_LARGE")).isGreaterThan(before);
  }

  @Test
  void cacheCallsNeedTheNegotiatedCapabilityAndARequestStream() throws Exception {
    try (RawConnection raw = FELIX.closeAfterTest(RawConnection.connect(FELIX))) {
      raw.hello(); // asks for no capabilities
      RawConnection.RequestStream request = raw.openRequestStream();
      request.stream.write(
          dev.felix.wire.FrameCodec.encode(5, new CacheGet(CacheRef.of("c"), Bytes.utf8("k"))));
      Frame answer = request.next(WAIT);
      assertThat(answer.requestId()).isEqualTo(5);
      assertThat(answer.message()).isInstanceOf(ErrorReply.class);
      assertThat(((ErrorReply) answer.message()).code())
          .isEqualTo(ErrorCode.UNSUPPORTED_FEATURE.code());

      raw.send(6, new CacheGet(CacheRef.of("c"), Bytes.utf8("k")));
      Frame onControl = raw.awaitReply(6, WAIT);
      assertThat(onControl.message().type()).isEqualTo(MessageType.ERROR);
      assertThat(((ErrorReply) onControl.message()).code())
          .isEqualTo(ErrorCode.UNEXPECTED_MESSAGE.code());
    }
  }

  @Test
  void metricsCountHitsMissesAndPutsPerCache() {
    FelixClient client = FELIX.connect();
    String name = EmbeddedFelix.uniqueStream("metered");
    FelixCache cache = client.cache(name);
    cache.put("k", "v", null);
    cache.get("k");
    cache.get("k");
    cache.get("absent");
    Metrics metrics = FELIX.metrics();
    String labels = "{cache=\"" + name + "\",felix_namespace=\"default\",tenant=\"default\"}";
    assertThat(metrics.value("felix_cache_hits_total" + labels)).isEqualTo(2);
    assertThat(metrics.value("felix_cache_misses_total" + labels)).isEqualTo(1);
    assertThat(metrics.value("felix_cache_puts_total" + labels)).isEqualTo(1);
    assertThat(metrics.value("felix_cache_entries" + labels)).isEqualTo(1);
    // The broker-wide budget (default 256 MiB) and what the caches' bounds take of it.
    assertThat(metrics.value("felix_cache_budget_max_bytes")).isEqualTo(256.0 * 1024 * 1024);
    assertThat(metrics.value("felix_cache_budget_reserved_bytes")).isGreaterThanOrEqualTo(4194304);
    assertThat(
            metrics.hasSampleStartingWith("felix_cache_operation_seconds_count{operation=\"get\"}"))
        .isTrue();
  }
}
