package dev.felix.client.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.ProtocolException;
import dev.felix.transport.CloseReason;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.wire.Frame;
import dev.felix.wire.MessageType;
import dev.felix.wire.message.Subscribed;
import java.nio.ByteBuffer;

/**
 * A server-opened subscription stream until it is known: its first frame must be Subscribed with
 * the request id of a waiting Subscribe (protocol section 1.3), which binds the stream to that
 * subscription; every later frame goes to the bound {@link SubscriptionPart}. A stream that starts
 * otherwise breaks the protocol and is reset; a Subscribed nobody waits for (its Subscribe timed
 * out) is unsubscribed at once.
 *
 * <p><b>Threads:</b> event loop only.
 */
final class SubscriptionStreamListener implements StreamListener {
  private static final StreamListener DISCARD = (stream, frame) -> {};

  private final Session session;
  private StreamListener bound;

  SubscriptionStreamListener(Session session) {
    this.session = session;
  }

  @Override
  public void onFrame(FrameStream stream, ByteBuffer frame) {
    if (bound != null) {
      bound.onFrame(stream, frame);
      return;
    }
    Frame first;
    try {
      first = session.codec().decode(frame);
    } catch (ProtocolException e) {
      reject(stream, e);
      return;
    }
    if (first.type() != MessageType.SUBSCRIBED) {
      reject(
          stream,
          new ProtocolException(
              ErrorCode.UNEXPECTED_MESSAGE,
              "a subscription stream must start with Subscribed, not " + first.type()));
      return;
    }
    Subscribed subscribed = (Subscribed) first.message();
    PendingRequest request = session.requests().claim(first.requestId());
    if (request instanceof SubscribeRequest subscribe) {
      bound = subscribe.onSubscribed(session, stream, subscribed);
      return;
    }
    if (request != null) {
      request.onFailure(
          new ProtocolException(
              ErrorCode.UNEXPECTED_MESSAGE, request.describe() + " was answered with Subscribed"));
    }
    // Nobody waits for this subscription (its Subscribe timed out): end it on the server too.
    session.unsubscribe(subscribed.subscriptionId());
    bound = DISCARD;
  }

  @Override
  public void onProtocolError(FrameStream stream, ProtocolException error) {
    if (bound != null) {
      bound.onProtocolError(stream, error);
    } else {
      report(error);
    }
  }

  @Override
  public void onClosed(FrameStream stream, CloseReason reason) {
    if (bound != null) {
      bound.onClosed(stream, reason);
    }
  }

  private void reject(FrameStream stream, ProtocolException error) {
    report(error);
    bound = DISCARD;
    stream.reset(error.code().code());
  }

  private void report(FelixException error) {
    session.callbacks().notify(l -> l.onError(error));
  }
}
