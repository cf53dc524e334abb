package dev.felix.client.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.ProtocolException;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.Subscribed;

/**
 * One Subscribe sent for a {@link SubscriptionImpl}: the initial one (every shard or one), or a
 * resume of one shard after a reconnect. Success arrives as Subscribed on a new subscription stream
 * ({@link SubscriptionStreamListener}); failure as Error on the control stream.
 */
final class SubscribeRequest implements PendingRequest {
  private final SubscriptionImpl owner;
  private final int shard;
  private final StartPosition start;
  private final boolean resume;
  private final String cursor;
  private final long deadlineNanos;
  private volatile int requestId;
  private volatile Session slotSession;

  /**
   * @param shard the shard to subscribe to, or -1 for every shard
   * @param start where to start
   * @param resume true when this continues an existing subscription after a reconnect
   * @param cursor the named cursor to resume, or null: a resume from offsets the client already
   *     received must not jump back to the (older) committed position
   */
  SubscribeRequest(
      SubscriptionImpl owner,
      int shard,
      StartPosition start,
      boolean resume,
      String cursor,
      long deadlineNanos) {
    this.owner = owner;
    this.shard = shard;
    this.start = start;
    this.resume = resume;
    this.cursor = cursor;
    this.deadlineNanos = deadlineNanos;
  }

  String cursor() {
    return cursor;
  }

  int shard() {
    return shard;
  }

  StartPosition start() {
    return start;
  }

  boolean resume() {
    return resume;
  }

  int requestId() {
    return requestId;
  }

  /** This request holds one of {@code session}'s subscription slots. */
  void holdSlot(Session session) {
    slotSession = session;
  }

  /** The slot passes to the part that Subscribed created. */
  void transferSlot() {
    slotSession = null;
  }

  /** Gives the slot back when the Subscribe failed. Idempotent. */
  void releaseSlot() {
    Session session = slotSession;
    slotSession = null;
    if (session != null) {
      session.slots().release();
    }
  }

  @Override
  public void onRegistered(int id) {
    requestId = id;
  }

  @Override
  public long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public String describe() {
    return "Subscribe to " + owner.stream() + (shard < 0 ? "" : " shard " + shard);
  }

  /** Subscribed arrived first on {@code stream}: returns the listener for its further frames. */
  StreamListener onSubscribed(Session session, FrameStream stream, Subscribed subscribed) {
    return owner.onPartOpened(this, session, stream, subscribed);
  }

  @Override
  public void onReply(Session session, Message reply) {
    FelixException error =
        reply instanceof ErrorReply e
            ? e.toException()
            : new ProtocolException(
                ErrorCode.UNEXPECTED_MESSAGE,
                describe() + " was answered with " + reply.type() + " on the control stream");
    owner.onPartRefused(this, session, error);
  }

  @Override
  public void onFailure(FelixException error) {
    owner.onPartRefused(this, null, error);
  }
}
