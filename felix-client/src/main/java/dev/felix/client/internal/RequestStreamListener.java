package dev.felix.client.internal;

import dev.felix.error.ProtocolException;
import dev.felix.transport.CloseReason;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.message.Message;
import java.nio.ByteBuffer;

/**
 * Inbound side of a request stream: each answer goes to the call with its request id. An answer
 * nobody waits for (its call already timed out) is dropped. A frame that does not decode fails the
 * call it names with the typed error.
 *
 * <p>Threading: the connection's event loop.
 */
final class RequestStreamListener implements StreamListener {
  private final Session session;
  private final StreamSlot slot;

  RequestStreamListener(Session session, StreamSlot slot) {
    this.session = session;
    this.slot = slot;
  }

  @Override
  public void onFrame(FrameStream stream, ByteBuffer frame) {
    int requestId = FrameHeader.requestId(frame, 0);
    PendingRequest request = session.requests().claim(requestId);
    if (request == null) {
      return;
    }
    Message answer;
    try {
      answer = session.codec().decode(frame).message();
    } catch (RuntimeException e) {
      request.onFailure(Waits.toFelix(e));
      return;
    }
    request.onReply(session, answer);
  }

  @Override
  public void onProtocolError(FrameStream stream, ProtocolException error) {
    slot.markClosed();
    session.callbacks().notify(l -> l.onError(error));
  }

  @Override
  public void onInputFinished(FrameStream stream) {
    slot.markClosed();
  }

  @Override
  public void onClosed(FrameStream stream, CloseReason reason) {
    slot.markClosed();
  }
}
