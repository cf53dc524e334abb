package dev.felix.client;

import dev.felix.wire.Bytes;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.StreamRef;
import java.util.List;
import java.util.Objects;

/**
 * One record delivered to a subscription. Immutable; its byte strings are copies that belong to the
 * application.
 *
 * @param stream the stream it was published to
 * @param shard the shard that holds it
 * @param offset its offset in the shard: dense, increasing, unique per shard
 * @param timestampMs epoch milliseconds (set by the publisher or by the broker)
 * @param key the partitioning key, or null when the record has none
 * @param headers application headers in publish order (duplicates kept)
 * @param payload the record body
 */
public record ReceivedRecord(
    StreamRef stream,
    int shard,
    long offset,
    long timestampMs,
    Bytes key,
    List<Header> headers,
    Bytes payload) {

  /**
   * Copies the header list, so the record stays immutable.
   *
   * @param stream the stream
   * @param shard the shard
   * @param offset the offset in the shard
   * @param timestampMs epoch milliseconds
   * @param key the key, or null
   * @param headers the headers; copied
   * @param payload the body
   */
  public ReceivedRecord {
    Objects.requireNonNull(stream, "stream");
    headers = List.copyOf(headers);
    Objects.requireNonNull(payload, "payload");
  }

  /**
   * Whether the record has a key (an empty key counts as a key).
   *
   * @return true when {@link #key()} is not null
   */
  public boolean hasKey() {
    return key != null;
  }

  /**
   * The payload decoded as UTF-8.
   *
   * @return the payload text
   */
  public String payloadAsString() {
    return payload.toUtf8();
  }

  /**
   * A copy of the payload bytes.
   *
   * @return a new array
   */
  public byte[] payloadBytes() {
    return payload.toArray();
  }

  /**
   * The value of the first header with this name.
   *
   * @param name header name, compared byte for byte
   * @return the value, or null when absent
   */
  public Bytes header(String name) {
    for (Header header : headers) {
      if (header.name().equals(name)) {
        return header.value();
      }
    }
    return null;
  }
}
