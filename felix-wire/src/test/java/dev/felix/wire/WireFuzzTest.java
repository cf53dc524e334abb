package dev.felix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.felix.error.ProtocolException;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCodec;
import dev.felix.wire.message.RecordCursor;
import dev.felix.wire.message.RecordData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jazzer fuzz targets, one per decoder entry point. Each asserts that decoding is total (only a
 * {@link ProtocolException} escapes; anything else, an assertion error included, is a finding) and
 * that whatever decodes is canonical: it re-encodes to the same bytes and re-decodes to an equal
 * message.
 *
 * <p>Two modes (see felix-wire/pom.xml and docs/development.md). Under {@code mvn test} these are
 * regression tests: every seed below (the golden vectors, reshaped per target) and every file in
 * {@code src/test/resources/dev/felix/wire/WireFuzzTestInputs/<method>/} is replayed. The default
 * build then fuzzes each target for its {@code maxDuration} in a JVM of its own ({@code
 * JAZZER_FUZZ=1}, one target per run); the {@code fuzz} profile runs them longer.
 */
class WireFuzzTest {
  private static final FrameCodec CODEC = new FrameCodec(WireLimits.DEFAULTS);
  private static final MessageType[] TYPES = MessageType.values();

  /** {@link FrameCodec#decode} on raw bytes. */
  @MethodSource("frameSeeds")
  @FuzzTest(maxDuration = "15s")
  void decodeFrame(byte[] data) {
    decodeTotally(data);
  }

  /**
   * Every payload decoder behind a valid header, so that the fuzzer spends its time past the magic
   * check: the first byte picks the message type (modulo the number of types), the rest is the
   * payload.
   */
  @MethodSource("payloadSeeds")
  @FuzzTest(maxDuration = "30s")
  void decodePayload(byte[] data) {
    if (data.length == 0) {
      return;
    }
    MessageType type = TYPES[(data[0] & 0xFF) % TYPES.length];
    decodeTotally(TestFrames.frame(type.code(), Arrays.copyOfRange(data, 1, data.length), 0));
  }

  /**
   * {@link FrameSplitter} over an arbitrary byte stream: the first byte is the chunk size the
   * stream arrives in (1-256), the rest the stream. The frames found (and the error that ends the
   * stream, if any) must not depend on the chunking, and every frame found must decode totally.
   */
  @MethodSource("streamSeeds")
  @FuzzTest(maxDuration = "10s")
  void splitStream(byte[] data) {
    if (data.length == 0) {
      return;
    }
    byte[] stream = Arrays.copyOfRange(data, 1, data.length);
    List<String> chunked = split(stream, (data[0] & 0xFF) + 1, true);
    List<String> whole = split(stream, Math.max(1, stream.length), false);

    assertThat(chunked).isEqualTo(whole);
  }

  /**
   * {@link RecordBatch#wrap} for both kinds: bit 0 of the first byte picks the kind, the next two
   * bytes are the record count (signed, so negative and above-limit counts occur), the rest the
   * records. An accepted batch must satisfy every invariant the cursor relies on and re-encode to
   * the same bytes.
   */
  @MethodSource("recordSeeds")
  @FuzzTest(maxDuration = "15s")
  void wrapRecords(byte[] data) {
    if (data.length < 3) {
      return;
    }
    RecordBatch.Kind kind = (data[0] & 1) == 0 ? RecordBatch.Kind.PUBLISH : RecordBatch.Kind.EVENT;
    int count = (short) (((data[1] & 0xFF) << 8) | (data[2] & 0xFF));
    ByteBuffer records = ByteBuffer.wrap(data, 3, data.length - 3);
    RecordBatch batch;
    try {
      batch = RecordBatch.wrap(records, count, kind, WireLimits.DEFAULTS);
    } catch (ProtocolException expected) {
      assertThat(expected.code()).isNotNull();
      return;
    }
    checkRecords(batch, kind, WireLimits.DEFAULTS);
  }

  // ---- checks shared by the targets ----

  /** Decodes; a failure must be a ProtocolException, a success canonical. */
  static void decodeTotally(byte[] bytes) {
    Frame frame;
    try {
      frame = CODEC.decode(bytes);
    } catch (ProtocolException expected) {
      assertThat(expected.code()).isNotNull();
      return;
    }
    assertThat(frame.toString()).isNotEmpty();
    byte[] reEncoded = FrameCodec.encodeToArray(frame.requestId(), frame.message());
    assertThat(CODEC.decode(reEncoded)).isEqualTo(frame);
    assertThat(reEncoded).isEqualTo(bytes);
    Message message = frame.message();
    if (message instanceof PublishBatch batch) {
      checkRecords(batch.records(), RecordBatch.Kind.PUBLISH, CODEC.limits());
    } else if (message instanceof EventBatch batch) {
      checkRecords(batch.records(), RecordBatch.Kind.EVENT, CODEC.limits());
    }
  }

  /**
   * The invariants a {@link RecordCursor} user relies on without checking: records tile the batch,
   * deltas follow the kind's rule and are never negative, fields stay inside their record, limits
   * hold; and the values re-encode to the same bytes.
   */
  static void checkRecords(RecordBatch batch, RecordBatch.Kind kind, WireLimits limits) {
    RecordCursor cursor = batch.cursor();
    ByteBuffer rebuilt = ByteBuffer.allocate(batch.sizeBytes());
    int expectedPosition = 0;
    long previousDelta = -1;
    List<RecordData> records = new ArrayList<>();
    while (cursor.next()) {
      assertThat(cursor.recordPosition()).isEqualTo(expectedPosition);
      int end = cursor.recordPosition() + cursor.recordSize();
      assertThat(cursor.offsetDelta()).isNotNegative().isGreaterThan((int) previousDelta);
      if (kind == RecordBatch.Kind.PUBLISH) {
        assertThat(cursor.offsetDelta()).isEqualTo(cursor.index());
      } else if (cursor.index() == 0) {
        assertThat(cursor.offsetDelta()).isZero();
      }
      assertThat(cursor.timestampMs()).isNotNegative();
      if (cursor.hasKey()) {
        assertThat(cursor.keyLength()).isBetween(0, limits.maxKeyBytes());
        assertThat(cursor.keyPosition() + cursor.keyLength()).isLessThanOrEqualTo(end);
      }
      assertThat(cursor.headerCount()).isLessThanOrEqualTo(limits.maxHeadersPerRecord());
      assertThat(cursor.payloadLength()).isNotNegative();
      assertThat(cursor.payloadPosition() + cursor.payloadLength()).isEqualTo(end);
      RecordData record = cursor.toRecord();
      records.add(record);
      RecordCodec.write(rebuilt, cursor.offsetDelta(), record);
      previousDelta = cursor.offsetDelta();
      expectedPosition = end;
    }
    assertThat(records).hasSize(batch.count());
    assertThat(expectedPosition).isEqualTo(batch.sizeBytes());
    rebuilt.flip();
    assertThat(rebuilt).isEqualTo(batch.bytes());
    if (kind == RecordBatch.Kind.PUBLISH) {
      assertThat(RecordBatch.of(records)).isEqualTo(batch);
    }
  }

  /**
   * Splits {@code stream} arriving in chunks of {@code chunkSize}: the lengths of the frames found,
   * then how the stream ended ("pending n" bytes, or the error code); {@code decode} also decodes
   * each frame found.
   */
  private static List<String> split(byte[] stream, int chunkSize, boolean decode) {
    FrameSplitter splitter = new FrameSplitter(CODEC.limits());
    List<String> outcome = new ArrayList<>();
    int readIndex = 0;
    int writeIndex = 0;
    try {
      while (writeIndex < stream.length) {
        writeIndex = Math.min(stream.length, writeIndex + chunkSize);
        int length;
        while ((length =
                splitter.nextFrameLength(
                    ByteBuffer.wrap(stream, readIndex, writeIndex - readIndex)))
            > 0) {
          if (decode) {
            decodeTotally(Arrays.copyOfRange(stream, readIndex, readIndex + length));
          }
          outcome.add("frame " + length);
          readIndex += length;
        }
      }
      outcome.add("pending " + (writeIndex - readIndex));
    } catch (ProtocolException e) {
      outcome.add("error " + e.code());
    }
    return outcome;
  }

  // ---- seeds: the golden vectors, reshaped for each target ----

  static Stream<Arguments> frameSeeds() {
    return GoldenVectors.allBytes().entrySet().stream()
        .map(vector -> Arguments.of(Named.of(vector.getKey(), vector.getValue())));
  }

  static Stream<Arguments> payloadSeeds() {
    return GoldenVectors.allBytes().entrySet().stream()
        .map(
            vector -> {
              byte[] frame = vector.getValue();
              MessageType type = MessageType.fromCode(TestFrames.typeCode(frame));
              byte[] seed = new byte[frame.length - FrameHeader.LENGTH + 1];
              seed[0] = (byte) Arrays.asList(TYPES).indexOf(type);
              System.arraycopy(frame, FrameHeader.LENGTH, seed, 1, seed.length - 1);
              return Arguments.of(Named.of(vector.getKey(), seed));
            });
  }

  /** Each vector followed by the next one, arriving in chunks of 1 to 16 bytes. */
  static Stream<Arguments> streamSeeds() {
    List<Map.Entry<String, byte[]>> vectors = new ArrayList<>(GoldenVectors.allBytes().entrySet());
    List<Arguments> seeds = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      byte[] first = vectors.get(i).getValue();
      byte[] second = vectors.get((i + 1) % vectors.size()).getValue();
      ByteBuffer seed = ByteBuffer.allocate(1 + first.length + second.length);
      seed.put((byte) (i % 16)).put(first).put(second);
      seeds.add(Arguments.of(Named.of(vectors.get(i).getKey() + " and next", seed.array())));
    }
    return seeds.stream();
  }

  static Stream<Arguments> recordSeeds() {
    List<Arguments> seeds = new ArrayList<>();
    for (String name : List.of("publish-batch", "event-batch", "event-batch-gap")) {
      Message message = GoldenVectors.expected(name).message();
      RecordBatch batch =
          message instanceof PublishBatch publish
              ? publish.records()
              : ((EventBatch) message).records();
      ByteBuffer seed = ByteBuffer.allocate(3 + batch.sizeBytes());
      seed.put((byte) (message instanceof EventBatch ? 1 : 0));
      seed.putShort((short) batch.count());
      seed.put(batch.bytes());
      seeds.add(Arguments.of(Named.of(name, seed.array())));
    }
    return seeds.stream();
  }
}
