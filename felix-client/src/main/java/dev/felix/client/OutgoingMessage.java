package dev.felix.client;

import dev.felix.wire.Bytes;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A record to publish, with where it goes and how it is acknowledged. Immutable; build it with
 * {@link #builder(String)} or {@link #builder(StreamRef)}.
 *
 * <pre>{@code
 * OutgoingMessage message = OutgoingMessage.builder("orders")
 *     .key("customer-42")
 *     .header("content-type", "application/json")
 *     .payload("{\"total\": 12}")
 *     .build();
 * client.publish(message);
 * }</pre>
 *
 * <p>Defaults: no key (the broker spreads records round robin), no headers, timestamp 0 (the broker
 * assigns it), shard -1 (the broker picks: key hash, else round robin), ack mode {@link
 * AckMode#LEADER}. Keys and headers are limited to the protocol's defaults (4096-byte keys, 64
 * headers), because the broker does not announce its own (docs/protocol.md section 15 item 4).
 */
public final class OutgoingMessage {
  private final StreamRef stream;
  private final int shard;
  private final AckMode ackMode;
  private final RecordData record;

  private OutgoingMessage(Builder b) {
    stream = Objects.requireNonNull(b.stream, "stream");
    ackMode = Objects.requireNonNull(b.ackMode, "ackMode");
    if (b.shard < -1) {
      throw new IllegalArgumentException("shard must be >= -1 (-1: the broker picks): " + b.shard);
    }
    shard = b.shard;
    if (b.key != null && b.key.length() > WireLimits.DEFAULTS.maxKeyBytes()) {
      throw new IllegalArgumentException(
          "key of "
              + b.key.length()
              + " bytes exceeds "
              + WireLimits.DEFAULTS.maxKeyBytes()
              + " bytes");
    }
    List<Header> headers = b.headers == null ? List.of() : b.headers;
    if (headers.size() > WireLimits.DEFAULTS.maxHeadersPerRecord()) {
      throw new IllegalArgumentException(
          "more than " + WireLimits.DEFAULTS.maxHeadersPerRecord() + " headers");
    }
    if (b.timestampMs < 0) {
      throw new IllegalArgumentException("timestampMs must be >= 0: " + b.timestampMs);
    }
    record = new RecordData(b.key, headers, b.timestampMs, b.payload);
  }

  /**
   * A message with only a payload, acknowledged by the leader.
   *
   * @param stream the stream
   * @param payload the body; copied
   * @return the message
   */
  public static OutgoingMessage of(StreamRef stream, byte[] payload) {
    return builder(stream).payload(payload).build();
  }

  /**
   * A builder for a stream in tenant {@code default}, namespace {@code default}.
   *
   * @param stream the stream name
   * @return a new builder
   */
  public static Builder builder(String stream) {
    return new Builder(StreamRef.of(stream));
  }

  /**
   * A builder for a fully scoped stream.
   *
   * @param stream tenant, namespace and stream
   * @return a new builder
   */
  public static Builder builder(StreamRef stream) {
    return new Builder(stream);
  }

  /**
   * Where the record goes.
   *
   * @return the stream
   */
  public StreamRef stream() {
    return stream;
  }

  /**
   * The explicit shard, or -1 when the broker picks.
   *
   * @return the shard
   */
  public int shard() {
    return shard;
  }

  /**
   * What the publisher waits for.
   *
   * @return the ack mode
   */
  public AckMode ackMode() {
    return ackMode;
  }

  /**
   * The key, or null.
   *
   * @return the key
   */
  public Bytes key() {
    return record.key();
  }

  /**
   * The headers in order.
   *
   * @return an immutable list
   */
  public List<Header> headers() {
    return record.headers();
  }

  /**
   * The timestamp; 0 = assigned by the broker.
   *
   * @return epoch milliseconds
   */
  public long timestampMs() {
    return record.timestampMs();
  }

  /**
   * The body.
   *
   * @return the payload
   */
  public Bytes payload() {
    return record.payload();
  }

  /**
   * The record in wire form (for the client's implementation).
   *
   * @return the record value
   */
  public RecordData record() {
    return record;
  }

  @Override
  public String toString() {
    return "OutgoingMessage[stream="
        + stream
        + ", shard="
        + shard
        + ", ackMode="
        + ackMode
        + ", payload="
        + record.payload()
        + "]";
  }

  /** Mutable builder. Not thread-safe. */
  public static final class Builder {
    private final StreamRef stream;
    private int shard = -1;
    private AckMode ackMode = AckMode.LEADER;
    private Bytes key;
    private List<Header> headers; // created by the first header: most messages have none
    private long timestampMs;
    private Bytes payload = Bytes.EMPTY;

    private Builder(StreamRef stream) {
      this.stream = Objects.requireNonNull(stream, "stream");
    }

    /**
     * The body.
     *
     * @param value the payload; copied
     * @return this builder
     */
    public Builder payload(byte[] value) {
      payload = Bytes.of(value);
      return this;
    }

    /**
     * The body as UTF-8 text.
     *
     * @param value the payload text
     * @return this builder
     */
    public Builder payload(String value) {
      payload = Bytes.utf8(value);
      return this;
    }

    /**
     * The partitioning key: records with equal keys go to the same shard (when the broker picks).
     *
     * @param value the key; copied; null for none
     * @return this builder
     */
    public Builder key(byte[] value) {
      key = value == null ? null : Bytes.of(value);
      return this;
    }

    /**
     * The partitioning key as UTF-8 text.
     *
     * @param value the key; null for none
     * @return this builder
     */
    public Builder key(String value) {
      key = value == null ? null : Bytes.wrap(value.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /**
     * Adds a header (duplicates and order are kept).
     *
     * @param name 1 to 255 UTF-8 bytes
     * @param value up to 65,535 bytes; copied
     * @return this builder
     */
    public Builder header(String name, byte[] value) {
      headerList().add(new Header(name, Bytes.of(value)));
      return this;
    }

    /**
     * Adds a header with a UTF-8 value.
     *
     * @param name 1 to 255 UTF-8 bytes
     * @param value the value text
     * @return this builder
     */
    public Builder header(String name, String value) {
      headerList().add(Header.of(name, value));
      return this;
    }

    private List<Header> headerList() {
      if (headers == null) {
        headers = new ArrayList<>();
      }
      return headers;
    }

    /**
     * The record's timestamp; 0 (the default) lets the broker assign it.
     *
     * @param value epoch milliseconds, >= 0
     * @return this builder
     */
    public Builder timestampMs(long value) {
      timestampMs = value;
      return this;
    }

    /**
     * The record's timestamp.
     *
     * @param value an instant at or after the epoch
     * @return this builder
     */
    public Builder timestamp(Instant value) {
      timestampMs = value.toEpochMilli();
      return this;
    }

    /**
     * Sends the record to this shard instead of letting the broker pick.
     *
     * @param value the shard, or -1 for the broker's choice
     * @return this builder
     */
    public Builder shard(int value) {
      shard = value;
      return this;
    }

    /**
     * What the publisher waits for: {@link AckMode#LEADER} (default) or {@link AckMode#NONE}.
     *
     * @param value the ack mode
     * @return this builder
     */
    public Builder ackMode(AckMode value) {
      ackMode = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the message
     * @throws IllegalArgumentException when a field breaks the protocol's limits
     */
    public OutgoingMessage build() {
      return new OutgoingMessage(this);
    }
  }
}
