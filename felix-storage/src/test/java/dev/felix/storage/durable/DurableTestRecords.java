package dev.felix.storage.durable;

import dev.felix.wire.Bytes;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Record batches and read-back helpers for the durable log tests. */
final class DurableTestRecords {
  private DurableTestRecords() {}

  static RecordData record(String label, int payloadBytes, long timestampMs) {
    byte[] payload = new byte[payloadBytes];
    for (int i = 0; i < payloadBytes; i++) {
      payload[i] = (byte) (label.hashCode() + i);
    }
    return new RecordData(
        Bytes.utf8("k-" + label),
        List.of(Header.of("label", label)),
        timestampMs,
        Bytes.wrap(payload));
  }

  static RecordData record(String label) {
    return record(label, 8, 0);
  }

  static RecordBatch batch(RecordData... records) {
    return RecordBatch.of(List.of(records));
  }

  /** {@code count} records labelled {@code prefix0..}, {@code payloadBytes} each. */
  static RecordBatch batch(String prefix, int count, int payloadBytes) {
    List<RecordData> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(record(prefix + i, payloadBytes, 0));
    }
    return RecordBatch.of(records);
  }

  /** Reads up to {@code max} records and validates them as an EVENT run with the wire validator. */
  static List<RecordData> readAll(dev.felix.storage.log.Log log, long from, int max) {
    ByteBuffer out = ByteBuffer.allocate(1 << 20);
    int count = log.read(from, max, Integer.MAX_VALUE, out);
    out.flip();
    return RecordBatch.wrap(out, count, RecordBatch.Kind.EVENT, WireLimits.DEFAULTS).toRecords();
  }

  static List<String> labels(List<RecordData> records) {
    List<String> labels = new ArrayList<>();
    for (RecordData record : records) {
      labels.add(record.headers().get(0).value().toUtf8());
    }
    return labels;
  }
}
