package dev.felix.storage.cache;

import dev.felix.error.ErrorCode;
import dev.felix.error.StorageException;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.RecordData;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * One change of a durable cache as stored in its log: an ordinary log record whose key is the cache
 * key, whose payload is the value, and whose one header {@value #HEADER} carries the operation.
 *
 * <pre>
 * header "felix.cache", 17 bytes, big-endian:
 *   0  u8   op           1 = PUT, 2 = REMOVE (delete or eviction)
 *   1  i64  version      the entry's version (for REMOVE: the version of the entry removed)
 *   9  i64  expiresAtMs  absolute deadline, epoch milliseconds; 0 = never expires
 * </pre>
 *
 * <p>The deadline is absolute wall-clock time because the store's own deadlines are on a monotonic
 * clock that restarts with the process; a restarted broker compares it with its wall clock, so an
 * entry whose TTL ran out while the broker was down is not brought back.
 *
 * @param value empty for REMOVE
 */
public record CacheLogRecord(Op op, Bytes key, Bytes value, long version, long expiresAtMs) {
  /** Name of the header that marks a record as a cache change. */
  public static final String HEADER = "felix.cache";

  static final int HEADER_BYTES = 17;

  /** What a record does to its key on replay. */
  public enum Op {
    PUT(1),
    REMOVE(2);

    private final int code;

    Op(int code) {
      this.code = code;
    }

    static Op of(int code) {
      for (Op op : values()) {
        if (op.code == code) {
          return op;
        }
      }
      return null;
    }
  }

  public CacheLogRecord {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  public static CacheLogRecord put(Bytes key, Bytes value, long version, long expiresAtMs) {
    return new CacheLogRecord(Op.PUT, key, value, version, expiresAtMs);
  }

  public static CacheLogRecord remove(Bytes key, long version) {
    return new CacheLogRecord(Op.REMOVE, key, Bytes.EMPTY, version, 0);
  }

  /** True when the entry has a deadline and it has passed at {@code nowMs} (epoch ms). */
  public boolean expiredAt(long nowMs) {
    return expiresAtMs != 0 && expiresAtMs <= nowMs;
  }

  /** Bytes this record adds to a log: key, value, header and the record framing (estimated). */
  long sizeBytes() {
    return key.length() + value.length() + HEADER_BYTES + HEADER.length() + 32L;
  }

  RecordData toRecord() {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.put((byte) op.code).putLong(version).putLong(expiresAtMs);
    return new RecordData(key, List.of(new Header(HEADER, Bytes.wrap(header.array()))), 0, value);
  }

  /**
   * The change a log record holds.
   *
   * @throws StorageException {@code STORAGE_ERROR} when the record is not a well-formed cache
   *     change (a log that is not a cache log, or a newer format): replaying a guess would corrupt
   *     the cache
   */
  static CacheLogRecord of(RecordData record, String where) {
    if (record.headers().size() != 1 || !HEADER.equals(record.headers().get(0).name())) {
      throw invalid(where, "record without its " + HEADER + " header");
    }
    byte[] header = record.headers().get(0).value().toArray();
    if (header.length != HEADER_BYTES) {
      throw invalid(where, HEADER + " header of " + header.length + " bytes");
    }
    ByteBuffer buffer = ByteBuffer.wrap(header);
    Op op = Op.of(buffer.get());
    long version = buffer.getLong();
    long expiresAtMs = buffer.getLong();
    if (op == null || version <= 0 || expiresAtMs < 0 || record.key() == null) {
      throw invalid(where, "bad op, version or deadline");
    }
    return new CacheLogRecord(op, record.key(), record.payload(), version, expiresAtMs);
  }

  private static StorageException invalid(String where, String problem) {
    return new StorageException(
        ErrorCode.STORAGE_ERROR, "cache log " + where + " holds an invalid record: " + problem);
  }
}
