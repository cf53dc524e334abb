package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Bytes;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.Objects;

/**
 * One entry of a {@link CacheChanges} frame: a snapshot entry or a change of one key.
 *
 * <pre>
 * u8  kind                     1 SNAPSHOT, 2 PUT, 3 DELETE, 4 EXPIRED, 5 EVICTED
 * u16 keyLength, key           1..maxKeyBytes
 * i64 version                  > 0: the entry's version (removals: of the entry removed)
 * i64 ttlRemainingMs           -1 = never expires, else > 0; removals: -1
 * u32 valueLength, value       removals: empty
 * </pre>
 */
public record CacheChange(Kind kind, Bytes key, long version, long ttlRemainingMs, Bytes value) {
  static final int FIXED_BYTES = 1 + 2 + 1 + 8 + 8 + 4;

  /** What happened to the key. */
  public enum Kind {
    /** A live entry when the watch started. */
    SNAPSHOT(1),
    /** Written (put, compare-and-set, multi-put). */
    PUT(2),
    /** Removed by a delete. */
    DELETE(3),
    /** Removed because its TTL ran out (reported when the cache collects it). */
    EXPIRED(4),
    /** Removed by the cache's memory bound. */
    EVICTED(5);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    /** True for DELETE, EXPIRED and EVICTED. */
    public boolean isRemoval() {
      return this == DELETE || this == EXPIRED || this == EVICTED;
    }

    static Kind fromCode(int code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "unknown cache change kind " + code);
    }
  }

  public CacheChange {
    Objects.requireNonNull(kind, "kind");
    CacheFields.requireKey(key);
    Objects.requireNonNull(value, "value");
    if (version <= 0) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "change version must be > 0");
    }
    if (ttlRemainingMs < -1 || ttlRemainingMs == 0) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "ttlRemainingMs must be -1 or > 0: " + ttlRemainingMs);
    }
    if (kind.isRemoval() && (ttlRemainingMs != -1 || value.length() != 0)) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, kind + " carries no value and no TTL");
    }
  }

  /** A removal of the entry with {@code version}. */
  public static CacheChange removal(Kind kind, Bytes key, long version) {
    return new CacheChange(kind, key, version, -1, Bytes.EMPTY);
  }

  void encode(PayloadWriter out) {
    out.u8(kind.code).bytes16(key).i64(version).i64(ttlRemainingMs).bytes32(value);
  }

  int sizeHint() {
    return FIXED_BYTES + key.length() + value.length();
  }

  static CacheChange decode(PayloadReader in) {
    Kind kind = Kind.fromCode(in.u8("kind"));
    Bytes key = CacheFields.key(in);
    long version = in.i64("version");
    long ttl = in.i64("ttlRemainingMs");
    return new CacheChange(kind, key, version, ttl, CacheFields.value(in));
  }
}
