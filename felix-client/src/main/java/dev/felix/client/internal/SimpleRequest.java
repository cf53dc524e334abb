package dev.felix.client.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.ProtocolException;
import dev.felix.wire.MessageType;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.Message;
import java.util.concurrent.CompletableFuture;

/**
 * A request answered by one expected message type (Ok to Unsubscribe, Pong to Ping, CacheValue to a
 * cache call) or Error, exposed as a future. The future completes on the event loop, so nothing
 * chained to it may block (the cache API says so to applications).
 */
final class SimpleRequest implements PendingRequest {
  private final String description;
  private final MessageType expected;
  private final long deadlineNanos;
  private final CompletableFuture<Message> result = new CompletableFuture<>();

  SimpleRequest(String description, MessageType expected, long deadlineNanos) {
    this.description = description;
    this.expected = expected;
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
    if (reply.type() == expected) {
      result.complete(reply);
    } else if (reply instanceof ErrorReply error) {
      result.completeExceptionally(error.toException());
    } else {
      result.completeExceptionally(
          new ProtocolException(
              ErrorCode.UNEXPECTED_MESSAGE,
              description + " was answered with " + reply.type() + " instead of " + expected));
    }
  }

  @Override
  public void onFailure(FelixException error) {
    result.completeExceptionally(error);
  }
}
