package dev.felix.wire.message;

import dev.felix.wire.Bytes;
import java.util.List;
import java.util.Objects;

/**
 * One record as an application sees it. On the wire records live inside a {@link RecordBatch}; this
 * value type is for building batches and for code that is not on the hot path.
 *
 * @param key optional partitioning key (null when absent)
 * @param headers application headers, possibly empty
 * @param timestampMs epoch milliseconds; 0 in a publish means "the broker assigns it"
 * @param payload the record body
 */
public record RecordData(Bytes key, List<Header> headers, long timestampMs, Bytes payload) {
  public RecordData {
    // Most records have no headers: share the empty list instead of copying one (hot path).
    headers = headers.isEmpty() ? List.of() : List.copyOf(headers);
    Objects.requireNonNull(payload, "payload");
    if (timestampMs < 0) {
      throw new IllegalArgumentException("timestampMs must be >= 0: " + timestampMs);
    }
    if (key != null && key.length() > 0xFFFF) {
      throw new IllegalArgumentException("key exceeds 65535 bytes: " + key.length());
    }
    if (headers.size() > 0xFFFF) {
      throw new IllegalArgumentException("more than 65535 headers: " + headers.size());
    }
  }

  /** A record with only a payload; the broker assigns the timestamp. */
  public static RecordData of(Bytes payload) {
    return new RecordData(null, List.of(), 0, payload);
  }

  public static RecordData of(String payload) {
    return of(Bytes.utf8(payload));
  }

  public boolean hasKey() {
    return key != null;
  }
}
