package dev.felix.client.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.ProtocolException;
import dev.felix.transport.CloseReason;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.wire.Frame;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.EventsDropped;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One server subscription on one connection, with its stream: the whole of a {@link
 * SubscriptionImpl} at first, one shard of it after a resume. Turns the stream's frames into calls
 * on the owner (EventBatch, EventsDropped, and Error when the server ends it).
 *
 * <p><b>Threads:</b> frames on the event loop; {@link #detach()} from any thread.
 */
final class SubscriptionPart implements StreamListener {
  private final SubscriptionImpl owner;
  private final Session session;
  private final FrameStream stream;
  private final int subscriptionId;
  private final int shard;
  private final AtomicBoolean slotHeld = new AtomicBoolean(true);
  private volatile boolean detached;
  private volatile boolean ended;

  SubscriptionPart(
      SubscriptionImpl owner, Session session, FrameStream stream, int subscriptionId, int shard) {
    this.owner = owner;
    this.session = session;
    this.stream = stream;
    this.subscriptionId = subscriptionId;
    this.shard = shard;
  }

  Session session() {
    return session;
  }

  FrameStream stream() {
    return stream;
  }

  int subscriptionId() {
    return subscriptionId;
  }

  /** The shard this part covers, or -1 for every shard. */
  int shard() {
    return shard;
  }

  boolean isLive() {
    return !detached && !ended;
  }

  /** Stops delivering: later frames are ignored (the server finishes the stream after Ok). */
  void detach() {
    detached = true;
    releaseSlot();
  }

  /** Gives the connection's subscription slot back, once. */
  void releaseSlot() {
    if (slotHeld.compareAndSet(true, false)) {
      session.slots().release();
    }
  }

  @Override
  public void onFrame(FrameStream s, ByteBuffer frame) {
    if (detached) {
      return;
    }
    Frame decoded;
    try {
      decoded = session.codec().decode(frame);
    } catch (ProtocolException e) {
      // The header was valid, so the frame can be skipped; the application learns of the hole.
      owner.onProtocolViolation(
          new ProtocolException(
              e.code(), "invalid frame on a subscription stream skipped: " + e.getMessage()));
      return;
    }
    switch (decoded.type()) {
      case EVENT_BATCH -> {
        EventBatch batch = (EventBatch) decoded.message();
        if (checkId(batch.subscriptionId())) {
          owner.onEvents(this, batch);
        }
      }
      case EVENTS_DROPPED -> {
        EventsDropped dropped = (EventsDropped) decoded.message();
        if (checkId(dropped.subscriptionId())) {
          owner.onDropped(this, dropped);
        }
      }
      case ERROR -> {
        ended = true;
        releaseSlot();
        owner.onPartEnded(this, ((ErrorReply) decoded.message()).toException());
      }
      default ->
          owner.onProtocolViolation(
              new ProtocolException(
                  ErrorCode.UNEXPECTED_MESSAGE,
                  "unexpected " + decoded.type() + " on a subscription stream"));
    }
  }

  @Override
  public void onProtocolError(FrameStream s, ProtocolException error) {
    // The transport resets the stream after this: the part is over; the owner resumes it.
    owner.onProtocolViolation(error);
  }

  @Override
  public void onClosed(FrameStream s, CloseReason reason) {
    if (ended || detached) {
      return;
    }
    ended = true;
    releaseSlot();
    if (!s.connection().isOpen()) {
      // The whole connection is going; the session's loss resumes every subscription.
      return;
    }
    owner.onPartEnded(
        this,
        new dev.felix.error.UnavailableException(
            ErrorCode.UNAVAILABLE,
            "the server closed the subscription stream without an Error (" + reason + ")"));
  }

  private boolean checkId(int id) {
    if (id == subscriptionId) {
      return true;
    }
    FelixException error =
        new ProtocolException(
            ErrorCode.INVALID_ARGUMENT,
            "frame for subscription " + id + " on the stream of subscription " + subscriptionId);
    owner.onProtocolViolation(error);
    return false;
  }
}
