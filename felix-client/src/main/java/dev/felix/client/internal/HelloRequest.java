package dev.felix.client.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.ProtocolException;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.Message;

/** The handshake: Hello, answered by HelloOk or by Error followed by the server's close. */
final class HelloRequest implements PendingRequest {
  private final Session session;
  private final long deadlineNanos;

  HelloRequest(Session session, long deadlineNanos) {
    this.session = session;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public String describe() {
    return "Hello to " + session.address();
  }

  @Override
  public void onReply(Session s, Message reply) {
    if (reply instanceof HelloOk ok) {
      session.onHelloOk(ok);
    } else if (reply instanceof ErrorReply error) {
      session.onHandshakeFailed(error.toException());
    } else {
      session.onHandshakeFailed(
          new ProtocolException(
              ErrorCode.UNEXPECTED_MESSAGE,
              "the server answered Hello with " + reply.type() + " instead of HelloOk"));
    }
  }

  @Override
  public void onFailure(FelixException error) {
    session.onHandshakeFailed(error);
  }
}
