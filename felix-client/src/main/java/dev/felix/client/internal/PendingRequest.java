package dev.felix.client.internal;

import dev.felix.error.FelixException;
import dev.felix.wire.message.Message;

/**
 * A request sent on a connection and waiting for its answer, matched by request id (protocol
 * section 1.5). Exactly one of {@link #onReply} and {@link #onFailure} is called, by whoever
 * removes the request from its {@link RequestTable} first.
 */
interface PendingRequest {

  /** {@link System#nanoTime()} after which the request fails with {@code TIMEOUT}. */
  long deadlineNanos();

  /** What this is, for timeout and error messages. */
  String describe();

  /** Called once the request id is chosen, before the frame is written. */
  default void onRegistered(int requestId) {}

  /** The answer arrived (event loop: do not block). */
  void onReply(Session session, Message reply);

  /** No answer will come: timeout, connection lost, write refused (any thread). */
  void onFailure(FelixException error);
}
