package dev.felix.client.internal;

import dev.felix.wire.MessageType;
import dev.felix.wire.message.Message;
import java.util.concurrent.CompletableFuture;

/** Where cache handles send their calls: the client's current connection. */
interface CacheCaller {
  /** Sends the call; the future completes with the answer of type {@code answer} or fails typed. */
  CompletableFuture<Message> call(Message request, MessageType answer, String description);

  /** Waits for a call's result within the client's bounds, rethrowing its typed failure. */
  <T> T await(CompletableFuture<T> result, String description);

  /** Opens a cache watch on the current connection. */
  dev.felix.client.CacheWatchHandle watch(
      dev.felix.wire.message.CacheWatch request, dev.felix.client.CacheWatchListener listener);
}
