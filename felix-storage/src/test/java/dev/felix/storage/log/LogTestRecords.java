package dev.felix.storage.log;

import dev.felix.wire.Bytes;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCodec;
import dev.felix.wire.message.RecordData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Builds record batches and reads logs back into values for the storage tests. */
final class LogTestRecords {
  private LogTestRecords() {}

  /** A record whose payload is {@code payloadBytes} bytes of {@code label}'s hash. */
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

  static RecordBatch batch(List<RecordData> records) {
    return RecordBatch.of(records);
  }

  static int size(RecordData record) {
    return RecordCodec.encodedSize(record);
  }

  /**
   * Reads {@code [from, from + max)} and checks the bytes form a valid EVENT run (the wire's own
   * validator), returning the records as values.
   */
  static List<RecordData> readAll(Log log, long from, int max) {
    ByteBuffer out = ByteBuffer.allocate(1 << 20);
    int count = log.read(from, max, Integer.MAX_VALUE, out);
    out.flip();
    RecordBatch read = RecordBatch.wrap(out, count, RecordBatch.Kind.EVENT, WireLimits.DEFAULTS);
    return read.toRecords();
  }

  static List<String> labels(List<RecordData> records) {
    List<String> labels = new ArrayList<>();
    for (RecordData record : records) {
      labels.add(record.headers().get(0).value().toUtf8());
    }
    return labels;
  }
}
