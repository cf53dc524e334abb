package dev.felix.client.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.ProtocolException;
import dev.felix.transport.CloseReason;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.wire.Frame;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.GoAway;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.Ping;
import dev.felix.wire.message.Pong;
import dev.felix.wire.message.StreamRef;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound adapter of the control stream: decodes each frame and turns it into a call. Answers
 * (HelloOk, PublishAck, Ok, Pong, Error) go to the request with their id (protocol section 1.5); an
 * Error nobody waits for is an ack-NONE publish's failure or an unsolicited error, reported to the
 * listener; Ping is answered; GoAway starts draining.
 *
 * <p><b>Threads:</b> event loop only; nothing here blocks.
 */
final class ControlStreamListener implements StreamListener {
  private static final Logger LOG = LoggerFactory.getLogger(ControlStreamListener.class);

  private final Session session;

  ControlStreamListener(Session session) {
    this.session = session;
  }

  @Override
  public void onFrame(FrameStream stream, ByteBuffer frame) {
    Frame decoded;
    try {
      decoded = session.codec().decode(frame);
    } catch (ProtocolException e) {
      // The header was valid (the transport checked it), so the frame can be skipped. If it
      // answered a request, that request fails with the violation.
      PendingRequest request = session.requests().claim(FrameHeader.requestId(frame, 0));
      ProtocolException reported =
          new ProtocolException(
              e.code(), "invalid frame from the server on the control stream: " + e.getMessage());
      if (request != null) {
        request.onFailure(reported);
      } else {
        session.callbacks().notify(l -> l.onError(reported));
      }
      return;
    }
    dispatch(decoded);
  }

  @Override
  public void onProtocolError(FrameStream stream, ProtocolException error) {
    session.callbacks().notify(l -> l.onError(error));
    session.close(
        error.code().code(), "control stream violated the protocol: " + error.getMessage());
  }

  @Override
  public void onWritabilityChanged(FrameStream stream, boolean writable) {
    if (writable) {
      session.events().onWritable(session);
    }
  }

  @Override
  public void onInputFinished(FrameStream stream) {
    // Without its control stream the connection is useless: leave and reconnect.
    session.close((int) CloseReason.NO_ERROR, "the server finished the control stream");
  }

  private void dispatch(Frame frame) {
    Message message = frame.message();
    switch (frame.type()) {
      case HELLO_OK, PUBLISH_ACK, OK, PONG, ERROR -> answer(frame.requestId(), message);
      case PING ->
          // Pong copies the nonce and the request id (0 for a server-initiated Ping).
          session.writeUnsolicited(frame.requestId(), new Pong(((Ping) message).nonce()));
      case GO_AWAY -> {
        session.startDraining();
        session.events().onGoAway(session, (GoAway) message);
      }
      default ->
          session
              .callbacks()
              .notify(
                  l ->
                      l.onError(
                          new ProtocolException(
                              ErrorCode.UNEXPECTED_MESSAGE,
                              "unexpected " + frame.type() + " on the control stream")));
    }
  }

  private void answer(int requestId, Message message) {
    PendingRequest request = session.requests().claim(requestId);
    if (request != null) {
      request.onReply(session, message);
      return;
    }
    if (message instanceof ErrorReply error) {
      FelixException failure = error.toException();
      StreamRef stream = requestId == 0 ? null : session.noAck().streamOf(requestId);
      if (stream != null) {
        session.callbacks().notify(l -> l.onPublishFailed(stream, failure));
      } else {
        session.callbacks().notify(l -> l.onError(failure));
      }
      return;
    }
    // An answer to a request that already timed out: nobody waits for it any more.
    LOG.debug("{}: late {} for request {} ignored", session.address(), message.type(), requestId);
  }
}
