package dev.felix.bench.wire;

import dev.felix.wire.Bytes;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The records every wire benchmark works on: the W1 shape of BENCH.md (payload only, no key, no
 * headers, timestamp 0 as in a publish), so that figures of different benchmarks can be compared.
 * Built once per trial in {@code @Setup}; nothing here runs inside a measured method.
 */
final class WireFixtures {
  /** The stream every frame names; 3 short names, as a real deployment would use. */
  static final StreamRef STREAM = new StreamRef("bench", "default", "orders");

  /** Broker-picked shard, no idempotence, acked by the leader: the default publish. */
  static final PublishTarget TARGET = PublishTarget.of(STREAM, AckMode.LEADER);

  static final int REQUEST_ID = 7;

  private WireFixtures() {}

  /** {@code count} records whose payloads are {@code payloadBytes} deterministic bytes. */
  static List<RecordData> records(int count, int payloadBytes) {
    return records(count, payloadBytes, 0);
  }

  /** As above, each record with {@code headersPerRecord} headers from {@link #headers}. */
  static List<RecordData> records(int count, int payloadBytes, int headersPerRecord) {
    List<Header> headers = headers(headersPerRecord);
    List<RecordData> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(new RecordData(null, headers, 0, Bytes.wrap(payload(i, payloadBytes))));
    }
    return List.copyOf(records);
  }

  /** Headers {@code header-<i>} with an 8-byte value, as a tracing header would be. */
  static List<Header> headers(int count) {
    List<Header> headers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      headers.add(new Header("header-" + i, Bytes.wrap(payload(i, 8))));
    }
    return List.copyOf(headers);
  }

  /** The payload of record {@code index}; differs per record so no copy can be shared. */
  static byte[] payload(int index, int payloadBytes) {
    byte[] payload = new byte[payloadBytes];
    for (int i = 0; i < payloadBytes; i++) {
      payload[i] = (byte) (index * 31 + i);
    }
    return payload;
  }

  /** The payloads of {@link #records} as plain arrays, for the JDK comparisons. */
  static byte[][] payloads(int count, int payloadBytes) {
    byte[][] payloads = new byte[count][];
    for (int i = 0; i < count; i++) {
      payloads[i] = payload(i, payloadBytes);
    }
    return payloads;
  }

  /** The PublishBatch frame of {@link #records}, encoded by Felix. */
  static byte[] publishFrame(int count, int payloadBytes) {
    return FrameCodec.encodeToArray(
        REQUEST_ID, new PublishBatch(TARGET, RecordBatch.of(records(count, payloadBytes))));
  }

  /** Throws unless a comparison produced exactly the bytes Felix produces. */
  static void requireSameBytes(String what, byte[] expected, byte[] actual) {
    if (!Arrays.equals(expected, actual)) {
      throw new IllegalStateException(
          what + " does not produce the Felix bytes, so it would not measure the same work");
    }
  }
}
