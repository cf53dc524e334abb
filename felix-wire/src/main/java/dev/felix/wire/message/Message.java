package dev.felix.wire.message;

import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadWriter;

/**
 * A decoded frame payload. Each implementation is an immutable record whose class comment draws its
 * byte layout; {@link MessageDecoder} is the single place that maps a {@link MessageType} to a
 * decoder, and {@code docs/protocol.md} is the specification these classes implement.
 */
public sealed interface Message
    permits Hello,
        HelloOk,
        Ping,
        Pong,
        GoAway,
        Ok,
        ErrorReply,
        Publish,
        PublishBatch,
        PublishAck,
        Subscribe,
        Subscribed,
        Unsubscribe,
        CursorCommit,
        EventBatch,
        EventsDropped,
        QueueAck,
        QueueNack,
        Credit,
        CachePut,
        CacheGet,
        CacheDelete,
        CacheCompareAndSet,
        CacheValue,
        CacheMultiGet,
        CacheMultiPut,
        CacheMultiValue,
        CacheWatch,
        CacheChanges {

  MessageType type();

  /** Writes the payload (not the header). */
  void encode(PayloadWriter out);

  /** Expected payload size, so that encoding allocates once in the common case. */
  default int sizeHint() {
    return 64;
  }
}
