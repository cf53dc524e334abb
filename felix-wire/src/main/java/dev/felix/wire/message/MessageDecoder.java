package dev.felix.wire.message;

import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;

/** Maps a message type to its payload decoder; the one dispatch point of the protocol. */
public final class MessageDecoder {
  private MessageDecoder() {}

  /**
   * Decodes a whole payload of {@code type}; trailing bytes are rejected.
   *
   * @throws dev.felix.error.ProtocolException on any malformed, out-of-limit or invalid field
   */
  public static Message decode(MessageType type, PayloadReader in) {
    Message message =
        switch (type) {
          case HELLO -> Hello.decode(in);
          case HELLO_OK -> HelloOk.decode(in);
          case PING -> Ping.decode(in);
          case PONG -> Pong.decode(in);
          case GO_AWAY -> GoAway.decode(in);
          case OK -> Ok.decode(in);
          case ERROR -> ErrorReply.decode(in);
          case PUBLISH -> Publish.decode(in);
          case PUBLISH_BATCH -> PublishBatch.decode(in);
          case PUBLISH_ACK -> PublishAck.decode(in);
          case SUBSCRIBE -> Subscribe.decode(in);
          case SUBSCRIBED -> Subscribed.decode(in);
          case UNSUBSCRIBE -> Unsubscribe.decode(in);
          case EVENT_BATCH -> EventBatch.decode(in);
          case EVENTS_DROPPED -> EventsDropped.decode(in);
          case CURSOR_COMMIT -> CursorCommit.decode(in);
          case QUEUE_ACK -> QueueAck.decode(in);
          case QUEUE_NACK -> QueueNack.decode(in);
          case CREDIT -> Credit.decode(in);
          case CACHE_PUT -> CachePut.decode(in);
          case CACHE_GET -> CacheGet.decode(in);
          case CACHE_DELETE -> CacheDelete.decode(in);
          case CACHE_COMPARE_AND_SET -> CacheCompareAndSet.decode(in);
          case CACHE_VALUE -> CacheValue.decode(in);
          case CACHE_MULTI_GET -> CacheMultiGet.decode(in);
          case CACHE_MULTI_PUT -> CacheMultiPut.decode(in);
          case CACHE_MULTI_VALUE -> CacheMultiValue.decode(in);
          case CACHE_WATCH -> CacheWatch.decode(in);
          case CACHE_CHANGES -> CacheChanges.decode(in);
        };
    in.expectEnd(type.name());
    return message;
  }
}
