package dev.felix.client.internal;

import dev.felix.client.CacheEntry;
import dev.felix.client.FelixCache;
import dev.felix.error.ConflictException;
import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Bytes;
import dev.felix.wire.MessageType;
import dev.felix.wire.message.CacheCompareAndSet;
import dev.felix.wire.message.CacheDelete;
import dev.felix.wire.message.CacheGet;
import dev.felix.wire.message.CacheMultiGet;
import dev.felix.wire.message.CacheMultiPut;
import dev.felix.wire.message.CacheMultiValue;
import dev.felix.wire.message.CachePut;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.CacheValue;
import dev.felix.wire.message.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * {@link FelixCache} over request-stream calls: builds the request, sends it through {@link
 * CacheCaller}, and turns the answer into the public types. Stateless apart from its name.
 */
final class CacheHandle implements FelixCache {
  private final CacheRef ref;
  private final CacheCaller caller;

  /** The calls a handle makes, named as its errors name them ("cache get on t/n/c"). */
  private enum Call {
    GET("cache get"),
    PUT("cache put"),
    DELETE("cache delete"),
    COMPARE_AND_SET("cache compare-and-set"),
    MULTI_GET("cache multi-get"),
    MULTI_PUT("cache multi-put");

    private final String name;

    Call(String name) {
      this.name = name;
    }
  }

  /**
   * Each call's description, built on its first use and kept: a call allocates no text (rendering
   * the cache's name was 6% of a W4 caller thread's CPU when every call did it twice). Two threads
   * may build the same string at once; either result is right.
   */
  private final String[] descriptions = new String[Call.values().length];

  CacheHandle(CacheRef ref, CacheCaller caller) {
    this.ref = Objects.requireNonNull(ref, "cache");
    this.caller = caller;
  }

  private String describe(Call call) {
    String description = descriptions[call.ordinal()];
    if (description == null) {
      description = call.name + " on " + ref;
      descriptions[call.ordinal()] = description;
    }
    return description;
  }

  @Override
  public CacheRef ref() {
    return ref;
  }

  @Override
  public dev.felix.client.CacheWatchHandle watch(
      byte[] prefix, dev.felix.client.CacheWatchListener listener) {
    Objects.requireNonNull(listener, "listener");
    return caller.watch(new dev.felix.wire.message.CacheWatch(ref, Bytes.of(prefix)), listener);
  }

  @Override
  public Optional<CacheEntry> get(byte[] key) {
    return caller.await(getAsync(key), describe(Call.GET));
  }

  @Override
  public Optional<CacheEntry> get(String key) {
    return get(utf8(key));
  }

  @Override
  public CompletableFuture<Optional<CacheEntry>> getAsync(byte[] key) {
    return call(new CacheGet(ref, Bytes.of(key)), describe(Call.GET), CacheHandle::entry);
  }

  @Override
  public long put(byte[] key, byte[] value, Duration ttl) {
    return caller.await(putAsync(key, value, ttl), describe(Call.PUT));
  }

  @Override
  public long put(byte[] key, byte[] value) {
    return put(key, value, null);
  }

  @Override
  public long put(String key, String value, Duration ttl) {
    return put(utf8(key), utf8(value), ttl);
  }

  @Override
  public CompletableFuture<Long> putAsync(byte[] key, byte[] value, Duration ttl) {
    return call(
        new CachePut(ref, Bytes.of(key), Bytes.of(value), ttlMillis(ttl)),
        describe(Call.PUT),
        answer -> version(answer));
  }

  @Override
  public boolean delete(byte[] key) {
    return caller.await(deleteAsync(key), describe(Call.DELETE));
  }

  @Override
  public boolean delete(String key) {
    return delete(utf8(key));
  }

  @Override
  public CompletableFuture<Boolean> deleteAsync(byte[] key) {
    return call(
        new CacheDelete(ref, Bytes.of(key)),
        describe(Call.DELETE),
        answer -> value(answer).found());
  }

  @Override
  public OptionalLong compareAndSet(byte[] key, long expectedVersion, byte[] value, Duration ttl) {
    return caller.await(
        compareAndSetAsync(key, expectedVersion, value, ttl), describe(Call.COMPARE_AND_SET));
  }

  @Override
  public CompletableFuture<OptionalLong> compareAndSetAsync(
      byte[] key, long expectedVersion, byte[] value, Duration ttl) {
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expectedVersion must be >= 0: " + expectedVersion);
    }
    return call(
            new CacheCompareAndSet(
                ref, Bytes.of(key), expectedVersion, Bytes.of(value), ttlMillis(ttl)),
            describe(Call.COMPARE_AND_SET),
            answer -> OptionalLong.of(version(answer)))
        .exceptionally(CacheHandle::conflictAsEmpty);
  }

  @Override
  public OptionalLong putIfAbsent(byte[] key, byte[] value, Duration ttl) {
    return compareAndSet(key, CacheCompareAndSet.ABSENT, value, ttl);
  }

  @Override
  public List<Optional<CacheEntry>> getAll(List<byte[]> keys) {
    return caller.await(getAllAsync(keys), describe(Call.MULTI_GET));
  }

  @Override
  public CompletableFuture<List<Optional<CacheEntry>>> getAllAsync(List<byte[]> keys) {
    List<Bytes> wireKeys = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      wireKeys.add(Bytes.of(key));
    }
    return call(
        new CacheMultiGet(ref, wireKeys),
        describe(Call.MULTI_GET),
        answer -> {
          List<CacheValue> values = values(answer, keys.size());
          List<Optional<CacheEntry>> entries = new ArrayList<>(values.size());
          for (CacheValue value : values) {
            entries.add(entry(value));
          }
          return entries;
        });
  }

  @Override
  public List<Long> putAll(Map<byte[], byte[]> entries, Duration ttl) {
    return caller.await(putAllAsync(entries, ttl), describe(Call.MULTI_PUT));
  }

  @Override
  public CompletableFuture<List<Long>> putAllAsync(Map<byte[], byte[]> entries, Duration ttl) {
    long ttlMs = ttlMillis(ttl);
    List<CacheMultiPut.Entry> wire = new ArrayList<>(entries.size());
    for (Map.Entry<byte[], byte[]> entry : entries.entrySet()) {
      wire.add(
          new CacheMultiPut.Entry(Bytes.of(entry.getKey()), Bytes.of(entry.getValue()), ttlMs));
    }
    return call(
        new CacheMultiPut(ref, wire),
        describe(Call.MULTI_PUT),
        answer -> {
          List<Long> versions = new ArrayList<>(wire.size());
          for (CacheValue value : values(answer, wire.size())) {
            versions.add(version(value));
          }
          return versions;
        });
  }

  private <T> CompletableFuture<T> call(
      Message request, String description, Function<Message, T> decode) {
    CompletableFuture<Message> answer;
    try {
      MessageType expected =
          request instanceof CacheMultiGet || request instanceof CacheMultiPut
              ? MessageType.CACHE_MULTI_VALUE
              : MessageType.CACHE_VALUE;
      answer = caller.call(request, expected, description);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return answer.thenApply(decode);
  }

  private static CacheValue value(Message answer) {
    if (answer instanceof CacheValue value) {
      return value;
    }
    throw new ProtocolException(
        ErrorCode.UNEXPECTED_MESSAGE, "expected CACHE_VALUE, got " + answer.type());
  }

  private static List<CacheValue> values(Message answer, int expected) {
    if (answer instanceof CacheMultiValue multi && multi.values().size() == expected) {
      return multi.values();
    }
    throw new ProtocolException(
        ErrorCode.UNEXPECTED_MESSAGE,
        "expected CACHE_MULTI_VALUE with " + expected + " values, got " + answer.type());
  }

  private static long version(Message answer) {
    CacheValue value = value(answer);
    if (!value.found()) {
      throw new ProtocolException(
          ErrorCode.UNEXPECTED_MESSAGE, "a write was answered with MISS (no version)");
    }
    return value.version();
  }

  private static Optional<CacheEntry> entry(Message answer) {
    CacheValue value = value(answer);
    if (!value.found()) {
      return Optional.empty();
    }
    Optional<Duration> ttl =
        value.ttlRemainingMs() < 0
            ? Optional.empty()
            : Optional.of(Duration.ofMillis(value.ttlRemainingMs()));
    return Optional.of(new CacheEntry(value.value().toArray(), value.version(), ttl));
  }

  private static OptionalLong conflictAsEmpty(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ConflictException conflict && conflict.code() == ErrorCode.CONFLICT) {
      return OptionalLong.empty();
    }
    throw failure instanceof CompletionException completion
        ? completion
        : new CompletionException(failure);
  }

  private static long ttlMillis(Duration ttl) {
    if (ttl == null) {
      return 0;
    }
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    }
    if (!ttl.isZero() && ttl.toMillis() == 0) {
      return 1; // a TTL below a millisecond still expires: never round it to "the default"
    }
    return ttl.toMillis();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
