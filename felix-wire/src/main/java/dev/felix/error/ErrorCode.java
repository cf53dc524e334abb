package dev.felix.error;

/**
 * Stable error codes of the Felix protocol. The numbers are part of the wire specification ({@code
 * docs/protocol.md}): they travel in {@code Error} frames, appear in metrics labels and must never
 * be renumbered. New codes are appended inside their category's range.
 *
 * <p>Ranges: 1xx protocol, 2xx authentication and authorization, 3xx resources, 4xx limits and
 * back-pressure, 5xx storage, 6xx server state.
 */
public enum ErrorCode {
  /** The frame or payload is malformed: bad magic, truncated field, trailing bytes, bad UTF-8. */
  MALFORMED_FRAME(100, Category.PROTOCOL),
  /** The frame's protocol version is not one this peer speaks. */
  UNSUPPORTED_VERSION(101, Category.PROTOCOL),
  /** The frame's message type is not defined in the negotiated version. */
  UNKNOWN_MESSAGE_TYPE(102, Category.PROTOCOL),
  /**
   * A flag bit, reserved field or feature (compression, encryption) was used without being
   * negotiated.
   */
  UNSUPPORTED_FEATURE(103, Category.PROTOCOL),
  /** The frame's declared payload length exceeds the negotiated maximum. */
  FRAME_TOO_LARGE(104, Category.PROTOCOL),
  /** A field is well-formed but its value is not allowed (bad name, negative TTL, unknown enum). */
  INVALID_ARGUMENT(105, Category.PROTOCOL),
  /** The message is valid but not allowed in this state (publish before Hello, second Hello). */
  UNEXPECTED_MESSAGE(106, Category.PROTOCOL),

  /** No or invalid credentials. */
  UNAUTHENTICATED(200, Category.AUTH),
  /** Authenticated, but the principal may not perform this action on this resource. */
  PERMISSION_DENIED(201, Category.AUTH),

  /** The stream, cache, subscription or group does not exist (and is not auto-created). */
  NOT_FOUND(300, Category.NOT_FOUND),
  /** The resource already exists. */
  ALREADY_EXISTS(301, Category.CONFLICT),
  /** A compare-and-set or version check failed. */
  CONFLICT(302, Category.CONFLICT),
  /** A requested offset is below the retained start or above the end of the log. */
  OFFSET_OUT_OF_RANGE(303, Category.NOT_FOUND),

  /** A configured limit was hit (subscriptions per connection, records per batch, key size). */
  LIMIT_EXCEEDED(400, Category.LIMIT),
  /** Temporarily out of capacity; retry later (publish credits, in-flight bytes, full queue). */
  BACKPRESSURE(401, Category.LIMIT),
  /** The record, key or value exceeds the maximum size. */
  MESSAGE_TOO_LARGE(402, Category.LIMIT),
  /** A subscriber fell too far behind and the stream's policy is {@code disconnect}. */
  SLOW_CONSUMER(403, Category.LIMIT),

  /** The storage layer failed (I/O error, corruption); nothing acknowledged was lost. */
  STORAGE_ERROR(500, Category.STORAGE),
  /** The disk is full; the shard refuses appends until space returns. */
  STORAGE_FULL(501, Category.STORAGE),

  /** The server is starting, draining or shutting down; retry elsewhere or later. */
  UNAVAILABLE(600, Category.UNAVAILABLE),
  /** The operation did not complete in time. */
  TIMEOUT(601, Category.UNAVAILABLE),
  /** An unexpected server fault; the connection's other work continues. */
  INTERNAL(602, Category.INTERNAL);

  /** The family an error belongs to; each maps to one {@link FelixException} subclass. */
  public enum Category {
    PROTOCOL,
    AUTH,
    NOT_FOUND,
    CONFLICT,
    LIMIT,
    STORAGE,
    UNAVAILABLE,
    INTERNAL
  }

  private static final ErrorCode[] BY_CODE = new ErrorCode[700];

  static {
    for (ErrorCode code : values()) {
      BY_CODE[code.code] = code;
    }
  }

  private final int code;
  private final Category category;

  ErrorCode(int code, Category category) {
    this.code = code;
    this.category = category;
  }

  /** The stable number sent on the wire. */
  public int code() {
    return code;
  }

  public Category category() {
    return category;
  }

  /**
   * Looks a wire number up. Unknown numbers (from a newer peer) map to {@link #INTERNAL} so that a
   * v1 peer can still report them; the original number is kept by the caller for display.
   */
  public static ErrorCode fromCode(int code) {
    if (code >= 0 && code < BY_CODE.length && BY_CODE[code] != null) {
      return BY_CODE[code];
    }
    return INTERNAL;
  }

  /** True when {@code code} names a defined error. */
  public static boolean isDefined(int code) {
    return code >= 0 && code < BY_CODE.length && BY_CODE[code] != null;
  }
}
