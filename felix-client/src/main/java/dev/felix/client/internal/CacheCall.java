package dev.felix.client.internal;

import dev.felix.error.FelixException;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.Message;
import java.util.concurrent.CompletableFuture;

/**
 * A call on a request stream waiting for its answer: the answer message itself (CacheValue,
 * CacheMultiValue), or the Error as a typed exception. Completes on the event loop.
 */
final class CacheCall implements PendingRequest {
  private final String description;
  private final long deadlineNanos;
  private final CompletableFuture<Message> result = new CompletableFuture<>();

  CacheCall(String description, long deadlineNanos) {
    this.description = description;
    this.deadlineNanos = deadlineNanos;
  }

  CompletableFuture<Message> result() {
    return result;
  }

  @Override
  public long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void onReply(Session session, Message reply) {
    if (reply instanceof ErrorReply error) {
      result.completeExceptionally(error.toException());
    } else {
      result.complete(reply);
    }
  }

  @Override
  public void onFailure(FelixException error) {
    result.completeExceptionally(error);
  }
}
