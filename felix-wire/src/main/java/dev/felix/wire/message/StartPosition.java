package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import java.util.Objects;

/**
 * Where a subscription starts reading.
 *
 * @param kind LATEST (only new records), EARLIEST (oldest retained), OFFSET or TIMESTAMP
 * @param value the offset or epoch milliseconds; 0 for LATEST and EARLIEST
 */
public record StartPosition(Kind kind, long value) {
  /** Wire codes 0..3. */
  public enum Kind {
    LATEST(0),
    EARLIEST(1),
    OFFSET(2),
    TIMESTAMP(3);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    static Kind fromCode(int code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "unknown start position kind " + code);
    }
  }

  public static final StartPosition LATEST = new StartPosition(Kind.LATEST, 0);
  public static final StartPosition EARLIEST = new StartPosition(Kind.EARLIEST, 0);

  public StartPosition {
    Objects.requireNonNull(kind, "kind");
    if (value < 0 || ((kind == Kind.LATEST || kind == Kind.EARLIEST) && value != 0)) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "invalid start position " + kind + " " + value);
    }
  }

  public static StartPosition offset(long offset) {
    return new StartPosition(Kind.OFFSET, offset);
  }

  public static StartPosition timestamp(long epochMs) {
    return new StartPosition(Kind.TIMESTAMP, epochMs);
  }
}
