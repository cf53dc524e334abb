package dev.felix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.wire.message.EventBatch;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins protocol v1 byte for byte. Each vector file was written by hand from the layouts in the
 * message class comments; each expected frame is built in Java in {@link GoldenVectors}. A change
 * to either side that is not mirrored in the other fails here, which is the point: the wire format
 * changes only on purpose.
 */
class GoldenVectorTest {
  static Stream<String> vectorNames() {
    return GoldenVectors.expected().keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectorNames")
  void encodingTheExpectedMessageGivesTheVectorBytes(String name) {
    Frame expected = GoldenVectors.expected(name);

    byte[] encoded = FrameCodec.encodeToArray(expected.requestId(), expected.message());

    assertThat(HexFormat.format(encoded)).isEqualTo(HexFormat.format(GoldenVectors.bytes(name)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectorNames")
  void decodingTheVectorGivesTheExpectedMessage(String name) {
    Frame decoded = TestFrames.decode(GoldenVectors.bytes(name));

    assertThat(decoded).isEqualTo(GoldenVectors.expected(name));
    assertThat(decoded.type()).isEqualTo(GoldenVectors.expected(name).message().type());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectorNames")
  void reEncodingTheDecodedVectorGivesIdenticalBytes(String name) {
    byte[] vector = GoldenVectors.bytes(name);
    Frame decoded = TestFrames.decode(vector);

    assertThat(FrameCodec.encodeToArray(decoded.requestId(), decoded.message())).isEqualTo(vector);
  }

  @Test
  void everyMessageTypeHasAtLeastOneVectorFile() {
    Set<MessageType> covered = EnumSet.noneOf(MessageType.class);
    for (byte[] vector : GoldenVectors.allBytes().values()) {
      covered.add(MessageType.fromCode(TestFrames.typeCode(vector)));
    }

    assertThat(covered)
        .as("message types without a golden vector file")
        .containsExactlyInAnyOrder(MessageType.values());
  }

  @Test
  void everyVectorFileHasAnExpectedFrameAndViceVersa() {
    assertThat(GoldenVectors.fileNames())
        .containsExactlyInAnyOrderElementsOf(GoldenVectors.expected().keySet());
  }

  @Test
  void everyVectorDeclaresItsOwnPayloadLength() {
    GoldenVectors.allBytes()
        .forEach(
            (name, vector) ->
                assertThat(ByteBuffer.wrap(vector).getInt(FrameHeader.LENGTH_OFFSET))
                    .as(name)
                    .isEqualTo(vector.length - FrameHeader.LENGTH));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventBatchVectors")
  void eventBatchFromPrefixAndSharedPartEqualsTheVectorAndFrameCodecEncode(String name) {
    EventBatch batch = (EventBatch) GoldenVectors.expected(name).message();

    ByteBuffer shared =
        EventBatch.encodeShared(batch.stream(), batch.shard(), batch.baseOffset(), batch.records());
    ByteBuffer frame = ByteBuffer.allocate(EventBatch.PREFIX_BYTES + shared.remaining());
    EventBatch.writePrefix(frame, 0, batch.subscriptionId(), shared.remaining());
    frame.position(EventBatch.PREFIX_BYTES);
    frame.put(shared.duplicate());

    assertThat(frame.array()).isEqualTo(GoldenVectors.bytes(name));
    assertThat(frame.array()).isEqualTo(FrameCodec.encodeToArray(0, batch));
  }

  static Stream<String> eventBatchVectors() {
    return Stream.of("event-batch", "event-batch-gap");
  }
}
