package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;

/**
 * What a publisher waits for. Code 2 is reserved for {@code quorum} (replicated clusters, a later
 * version) and rejected by v1 peers.
 */
public enum AckMode {
  /** Fire and forget: no PublishAck is sent. */
  NONE(0),
  /** Acked once appended by the shard leader (after its fsync policy on a durable stream). */
  LEADER(1);

  private final int code;

  AckMode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  static AckMode fromCode(int code) {
    return switch (code) {
      case 0 -> NONE;
      case 1 -> LEADER;
      case 2 ->
          throw new ProtocolException(
              ErrorCode.UNSUPPORTED_FEATURE, "ack mode quorum is reserved and not supported in v1");
      default ->
          throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "unknown ack mode " + code);
    };
  }
}
