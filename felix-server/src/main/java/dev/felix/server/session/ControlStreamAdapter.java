package dev.felix.server.session;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.server.security.Action;
import dev.felix.transport.CloseReason;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.wire.Capabilities;
import dev.felix.wire.Frame;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.Credit;
import dev.felix.wire.message.CursorCommit;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.Ping;
import dev.felix.wire.message.Pong;
import dev.felix.wire.message.Publish;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.QueueAck;
import dev.felix.wire.message.QueueNack;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.Subscribe;
import dev.felix.wire.message.Unsubscribe;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The inbound adapter of a connection's control stream: decodes each frame and turns it into a call
 * on {@link ClientSession}. Never sees broker state. A frame that fails to decode, or a request
 * that fails, is answered with Error and its request id; the connection's other work goes on
 * (docs/protocol.md section 1.6).
 *
 * <p>Threading: called on the connection's event loop, one frame at a time.
 */
final class ControlStreamAdapter implements StreamListener {
  private final ClientSession session;
  private final FrameCodec codec;
  private final Replies replies;

  ControlStreamAdapter(ClientSession session, WireLimits limits, Replies replies) {
    this.session = session;
    this.codec = new FrameCodec(limits);
    this.replies = replies;
  }

  @Override
  public void onFrame(FrameStream stream, ByteBuffer frame) {
    int requestId = FrameHeader.requestId(frame, 0);
    try {
      dispatch(stream, requestId, codec.decode(frame), frame.remaining());
    } catch (RuntimeException e) {
      replies.error(stream, requestId, e);
    }
  }

  private void dispatch(FrameStream stream, int requestId, Frame frame, int frameBytes) {
    Message message = frame.message();
    if (!session.helloDone()) {
      if (message instanceof Hello hello) {
        session.hello(requestId, hello);
      } else {
        session.rejectBeforeHello(requestId);
      }
      return;
    }
    if (message instanceof PublishBatch batch) {
      session.access().check(Action.STREAM_PUBLISH, batch.target().stream());
      requireIdempotenceIfAsked(batch.target());
      session.publishes().submit(requestId, batch.target(), batch.records(), frameBytes);
    } else if (message instanceof Publish publish) {
      session.access().check(Action.STREAM_PUBLISH, publish.target().stream());
      requireIdempotenceIfAsked(publish.target());
      session
          .publishes()
          .submit(
              requestId, publish.target(), RecordBatch.of(List.of(publish.record())), frameBytes);
    } else if (message instanceof Subscribe subscribe) {
      session.subscribe(requestId, subscribe);
    } else if (message instanceof CursorCommit commit) {
      session.commitCursor(requestId, commit);
    } else if (message instanceof Unsubscribe unsubscribe) {
      session.unsubscribe(requestId, unsubscribe);
    } else if (message instanceof Ping ping) {
      replies.send(stream, requestId, new Pong(ping.nonce()));
    } else if (message instanceof Pong) {
      return; // answer to a server ping: liveness only
    } else if (message instanceof Hello) {
      throw new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "Hello was already received");
    } else if (message instanceof QueueAck ack) {
      requireQueues();
      session.queueAck(requestId, ack);
    } else if (message instanceof QueueNack nack) {
      requireQueues();
      session.queueNack(requestId, nack);
    } else if (message instanceof Credit credit) {
      requireQueues();
      session.credit(requestId, credit);
    } else {
      throw new ProtocolException(
          ErrorCode.UNEXPECTED_MESSAGE,
          message.type() + " is not a request a client sends on the control stream");
    }
  }

  private void requireQueues() {
    if (!Capabilities.has(session.grantedCapabilities(), Capabilities.QUEUES)) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE, "consumer groups were not granted (capability QUEUES)");
    }
  }

  /** A producer id promises de-duplication, which only a session that negotiated it gets. */
  private void requireIdempotenceIfAsked(PublishTarget target) {
    if (target.producerId() != 0
        && !Capabilities.has(session.grantedCapabilities(), Capabilities.IDEMPOTENT_PRODUCER)) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE,
          "a producer id needs the IDEMPOTENT_PRODUCER capability in Hello");
    }
  }

  @Override
  public void onProtocolError(FrameStream stream, ProtocolException error) {
    // The stream cannot be resynchronised after a bad header; without its control stream the
    // connection is useless, so say why and close it once the Error has gone out.
    replies.error(stream, 0, error);
    session.closeAfterError();
  }

  @Override
  public void onClosed(FrameStream stream, CloseReason reason) {
    session.controlStreamClosed();
  }
}
