package dev.felix.wire;

/**
 * Every message type of protocol v1 with its one-byte code. Codes are grouped by area: 0x0_
 * connection, 0x1_ streams, 0x2_ queues, 0x3_ cache. Codes are never reused; an unknown code is
 * rejected with {@code UNKNOWN_MESSAGE_TYPE}.
 */
public enum MessageType {
  HELLO(0x01),
  HELLO_OK(0x02),
  PING(0x03),
  PONG(0x04),
  GO_AWAY(0x05),
  OK(0x06),
  ERROR(0x07),

  PUBLISH(0x10),
  PUBLISH_BATCH(0x11),
  PUBLISH_ACK(0x12),
  SUBSCRIBE(0x13),
  SUBSCRIBED(0x14),
  UNSUBSCRIBE(0x15),
  EVENT_BATCH(0x16),
  EVENTS_DROPPED(0x17),
  CURSOR_COMMIT(0x18),

  QUEUE_ACK(0x20),
  QUEUE_NACK(0x21),
  CREDIT(0x22),

  CACHE_PUT(0x30),
  CACHE_GET(0x31),
  CACHE_DELETE(0x32),
  CACHE_COMPARE_AND_SET(0x33),
  CACHE_VALUE(0x34),
  CACHE_MULTI_GET(0x35),
  CACHE_MULTI_PUT(0x36),
  CACHE_MULTI_VALUE(0x37),
  CACHE_WATCH(0x38),
  CACHE_CHANGES(0x39);

  private static final MessageType[] BY_CODE = new MessageType[256];

  static {
    for (MessageType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;

  MessageType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The type for {@code code}, or null when v1 defines none. */
  public static MessageType fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
