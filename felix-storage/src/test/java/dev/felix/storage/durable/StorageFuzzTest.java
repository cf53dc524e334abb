package dev.felix.storage.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.felix.error.StorageException;
import dev.felix.storage.log.ProducerStamp;
import dev.felix.wire.message.RecordBatch;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jazzer fuzz targets for the storage parsers: they must be total (any bytes give a status or a
 * typed error; an unchecked exception or an assertion failure is a finding) and never size an
 * allocation by an unchecked length. Under plain {@code mvn test} the seeds and stored inputs in
 * {@code src/test/resources/dev/felix/storage/durable/StorageFuzzTestInputs/<method>/} are
 * replayed; the default build then fuzzes each target for its {@code maxDuration} in a JVM of its
 * own (see felix-storage/pom.xml).
 */
class StorageFuzzTest {

  /** {@link BatchView#parse} on raw bytes, with and without the CRC check. */
  @MethodSource("batchSeeds")
  @FuzzTest(maxDuration = "30s")
  void parseBatch(byte[] data) {
    ByteBuffer buffer = ByteBuffer.wrap(data);
    BatchView view = new BatchView();
    for (boolean crc : new boolean[] {true, false}) {
      BatchView.Status status = view.parse(buffer, 0, data.length, crc);
      if (status == BatchView.Status.OK) {
        assertThat(view.size()).isBetween(BatchFormat.MIN_BATCH_BYTES, data.length);
        assertThat(view.recordCount()).isPositive();
        assertThat(view.baseOffset()).isNotNegative();
      }
    }
    BatchView.claimedRecords(buffer, 0, data.length);
  }

  /**
   * {@link IndexFiles#parse}: the first two bytes split the rest into the offset and time index
   * files, the next four give the segment size.
   */
  @MethodSource("indexSeeds")
  @FuzzTest(maxDuration = "30s")
  void parseIndex(byte[] data) {
    if (data.length < 6) {
      return;
    }
    int split = Math.min(((data[0] & 0xFF) << 8 | (data[1] & 0xFF)), data.length - 6);
    long segmentBytes = ByteBuffer.wrap(data, 2, 4).getInt() & 0x7FFF_FFFFL;
    byte[] offsets = Arrays.copyOfRange(data, 6, 6 + split);
    byte[] times = Arrays.copyOfRange(data, 6 + split, data.length);
    IndexFiles.Parsed parsed =
        IndexFiles.parse(ByteBuffer.wrap(offsets), ByteBuffer.wrap(times), 0, segmentBytes, -1);
    assertThat(parsed.ok()).isEqualTo(parsed.problem() == null);
    if (parsed.ok()) {
      SegmentIndex index = parsed.index();
      for (int i = 1; i < index.size(); i++) {
        assertThat(index.position(i)).isGreaterThan(index.position(i - 1));
      }
    }
  }

  /** {@link PositionStore#decode}: any bytes decode or fail with a {@link StorageException}. */
  @MethodSource("positionSeeds")
  @FuzzTest(maxDuration = "10s")
  void decodePositions(byte[] data) {
    try {
      PositionStore.decode(ByteBuffer.wrap(data), new HashMap<>(), java.nio.file.Path.of("fuzz"));
    } catch (StorageException expected) {
      // a typed rejection is the correct outcome for damaged bytes
    }
  }

  static Stream<byte[]> batchSeeds() {
    return Stream.of(
        validBatch(),
        new byte[64],
        Arrays.copyOf(validBatch(), 40),
        DurableLogProducerStampTest.stampedBatch(new ProducerStamp(9, 4, 5)));
  }

  static Stream<byte[]> indexSeeds() {
    SegmentIndex index = new SegmentIndex();
    index.add(0, 0, Long.MIN_VALUE);
    index.add(3, 120, 77);
    ByteBuffer offsets = IndexFiles.encodeOffsetIndex(index, 0);
    ByteBuffer times = IndexFiles.encodeTimeIndex(index, 0);
    ByteBuffer seed = ByteBuffer.allocate(6 + offsets.remaining() + times.remaining());
    seed.putShort((short) offsets.remaining()).putInt(4096).put(offsets).put(times);
    return Stream.of(seed.array());
  }

  static Stream<byte[]> positionSeeds() {
    return Stream.of(PositionStore.encode(java.util.Map.of("g/0", 5L, "g/1", 9L)).array());
  }

  private static byte[] validBatch() {
    RecordBatch records =
        RecordBatch.of(List.of(DurableTestRecords.record("a"), DurableTestRecords.record("b")));
    ByteBuffer buffer = ByteBuffer.allocate(BatchFormat.HEADER_BYTES + records.sizeBytes());
    buffer.put(BatchFormat.HEADER_BYTES, records.bytes(), 0, records.sizeBytes());
    buffer.putLong(BatchFormat.HEADER_BYTES + 9, 10);
    int second = BatchFormat.HEADER_BYTES + 4 + buffer.getInt(BatchFormat.HEADER_BYTES);
    buffer.putLong(second + 9, 20);
    BatchFormat.writeHeader(buffer, 0, records.sizeBytes(), 7, 2, 20, null, new CRC32C());
    return buffer.array();
  }
}
