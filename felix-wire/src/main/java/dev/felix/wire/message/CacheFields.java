package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Bytes;
import dev.felix.wire.PayloadReader;
import java.util.Objects;

/**
 * Field rules shared by the cache messages: keys are 1..maxKeyBytes (u16 length), values up to the
 * frame limit (u32 length), TTLs 0 (the cache's default) or positive milliseconds.
 */
final class CacheFields {
  private CacheFields() {}

  static Bytes requireKey(Bytes key) {
    Objects.requireNonNull(key, "key");
    if (key.length() == 0 || key.length() > 0xFFFF) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "cache key must be 1-65535 bytes: " + key.length());
    }
    return key;
  }

  static long requireTtl(long ttlMs) {
    if (ttlMs < 0) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "ttlMs must be 0 (cache default) or positive: " + ttlMs);
    }
    return ttlMs;
  }

  static Bytes key(PayloadReader in) {
    return requireKey(in.bytes16("key", in.limits().maxKeyBytes()));
  }

  static Bytes value(PayloadReader in) {
    return in.bytes32("value", in.limits().maxFramePayloadBytes());
  }
}
