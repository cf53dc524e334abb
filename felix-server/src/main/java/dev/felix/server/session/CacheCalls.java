package dev.felix.server.session;

import dev.felix.broker.Caches;
import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.server.security.Action;
import dev.felix.server.security.SessionAccess;
import dev.felix.wire.Capabilities;
import dev.felix.wire.message.CacheCompareAndSet;
import dev.felix.wire.message.CacheDelete;
import dev.felix.wire.message.CacheGet;
import dev.felix.wire.message.CacheMultiGet;
import dev.felix.wire.message.CacheMultiPut;
import dev.felix.wire.message.CacheMultiValue;
import dev.felix.wire.message.CachePut;
import dev.felix.wire.message.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns a decoded cache request into its answer: one broker call, no state of its own. The
 * capability check lives here so that a call the session never negotiated is refused the same way
 * whatever the message.
 */
final class CacheCalls {
  private final Caches caches;

  CacheCalls(Caches caches) {
    this.caches = caches;
  }

  /** The metric label of a request, or null when it is not a cache call. */
  static String operation(Message request) {
    if (request instanceof CacheGet) {
      return "get";
    } else if (request instanceof CachePut) {
      return "put";
    } else if (request instanceof CacheDelete) {
      return "delete";
    } else if (request instanceof CacheCompareAndSet) {
      return "cas";
    } else if (request instanceof CacheMultiGet) {
      return "multi_get";
    } else if (request instanceof CacheMultiPut) {
      return "multi_put";
    }
    return null;
  }

  /**
   * The answer to a cache call: complete at once for reads and memory caches; for writes to a
   * durable cache, once the change is as durable as the cache's fsync policy promises.
   *
   * @param granted the capabilities negotiated in HelloOk
   * @param access the connection's authorization checks: reads need {@code cache.read}, writes
   *     {@code cache.write}, checked before the broker is asked anything
   * @throws ProtocolException {@code UNSUPPORTED_FEATURE} when the capability was not granted;
   *     {@code UNEXPECTED_MESSAGE} for anything that is not a cache request
   * @throws dev.felix.error.AuthException {@code PERMISSION_DENIED}
   */
  CompletionStage<? extends Message> answer(Message request, long granted, SessionAccess access) {
    if (request instanceof CacheMultiGet || request instanceof CacheMultiPut) {
      require(granted, Capabilities.CACHE_MULTI, "CACHE_MULTI");
    } else {
      require(granted, Capabilities.CACHE, "CACHE");
    }
    authorize(request, access);
    if (request instanceof CacheGet get) {
      return CompletableFuture.completedFuture(caches.get(get.cache(), get.key()));
    } else if (request instanceof CachePut put) {
      return caches.putAsync(put.cache(), put.key(), put.value(), put.ttlMs());
    } else if (request instanceof CacheDelete delete) {
      return caches.deleteAsync(delete.cache(), delete.key());
    } else if (request instanceof CacheCompareAndSet cas) {
      return caches.compareAndSetAsync(
          cas.cache(), cas.key(), cas.expectedVersion(), cas.value(), cas.ttlMs());
    } else if (request instanceof CacheMultiGet multiGet) {
      return CompletableFuture.completedFuture(
          new CacheMultiValue(caches.getAll(multiGet.cache(), multiGet.keys())));
    } else if (request instanceof CacheMultiPut multiPut) {
      return caches
          .putAllAsync(multiPut.cache(), multiPut.entries())
          .thenApply(CacheMultiValue::new);
    }
    throw new ProtocolException(
        ErrorCode.UNEXPECTED_MESSAGE,
        request.type() + " is not a call a client sends on a request stream");
  }

  private static void authorize(Message request, SessionAccess access) {
    if (request instanceof CacheGet get) {
      access.check(Action.CACHE_READ, get.cache());
    } else if (request instanceof CacheMultiGet multiGet) {
      access.check(Action.CACHE_READ, multiGet.cache());
    } else if (request instanceof CachePut put) {
      access.check(Action.CACHE_WRITE, put.cache());
    } else if (request instanceof CacheDelete delete) {
      access.check(Action.CACHE_WRITE, delete.cache());
    } else if (request instanceof CacheCompareAndSet cas) {
      access.check(Action.CACHE_WRITE, cas.cache());
    } else if (request instanceof CacheMultiPut multiPut) {
      access.check(Action.CACHE_WRITE, multiPut.cache());
    }
  }

  private static void require(long granted, long capability, String name) {
    if (!Capabilities.has(granted, capability)) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE, "cache calls need the " + name + " capability in Hello");
    }
  }
}
