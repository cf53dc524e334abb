package dev.felix.wire.message;

import static dev.felix.wire.TestFrames.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.wire.Frame;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.FrameSplitter;
import dev.felix.wire.GoldenVectors;
import dev.felix.wire.TestFrames;
import dev.felix.wire.WireLimits;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encode once, send to many: the shared part and the per-subscriber prefix of EventBatch. */
class EventBatchTest {
  private final EventBatch batch = GoldenVectors.eventBatch();

  private ByteBuffer shared() {
    return EventBatch.encodeShared(
        batch.stream(), batch.shard(), batch.baseOffset(), batch.records());
  }

  @Test
  void theSharedPartIsReadOnlyAndStartsAtZero() {
    ByteBuffer shared = shared();

    assertThat(shared.isReadOnly()).isTrue();
    assertThat(shared.position()).isZero();
    assertThat(EventBatch.PREFIX_BYTES + shared.remaining())
        .isEqualTo(FrameCodec.encodeToArray(0, batch).length);
  }

  @Test
  void oneSharedPartServesManySubscribersBackToBack() {
    ByteBuffer shared = shared();
    int frameLength = EventBatch.PREFIX_BYTES + shared.remaining();
    int[] subscriptions = {1, 5, Integer.MAX_VALUE};
    ByteBuffer stream = ByteBuffer.allocate(subscriptions.length * frameLength);
    for (int i = 0; i < subscriptions.length; i++) {
      EventBatch.writePrefix(stream, i * frameLength, subscriptions[i], shared.remaining());
      stream.position(i * frameLength + EventBatch.PREFIX_BYTES);
      stream.put(shared.duplicate());
    }
    stream.flip();

    FrameSplitter splitter = new FrameSplitter(WireLimits.DEFAULTS);
    for (int subscription : subscriptions) {
      int length = splitter.nextFrameLength(stream);
      assertThat(length).isEqualTo(frameLength);
      ByteBuffer frame = stream.slice();
      frame.limit(length);
      Frame decoded = TestFrames.CODEC.decode(frame);
      assertThat(decoded.requestId()).isZero();
      assertThat(decoded.message())
          .isEqualTo(
              new EventBatch(
                  subscription,
                  batch.stream(),
                  batch.shard(),
                  batch.baseOffset(),
                  batch.records()));
      stream.position(stream.position() + length);
    }
    assertThat(shared.position()).as("the shared part is never consumed").isZero();
  }

  @Test
  void writePrefixDoesNotMoveThePosition() {
    ByteBuffer out = ByteBuffer.allocate(64);

    EventBatch.writePrefix(out, 3, 9, 10);

    assertThat(out.position()).isZero();
    assertThat(FrameHeader.validate(out, 3, WireLimits.DEFAULTS)).isEqualTo(14);
    assertThat(out.getInt(3 + FrameHeader.LENGTH)).isEqualTo(9);
  }

  @Test
  void writePrefixRefusesSubscriptionZero() {
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> EventBatch.writePrefix(ByteBuffer.allocate(64), 0, 0, 10));
  }

  @Test
  void recordOffsetsAreTheBaseOffsetPlusTheDelta() {
    EventBatch gap = GoldenVectors.eventBatchWithGap();
    RecordCursor cursor = gap.records().cursor();
    StringBuilder offsets = new StringBuilder();
    while (cursor.next()) {
      offsets.append(gap.baseOffset() + cursor.offsetDelta()).append(' ');
    }

    assertThat(offsets).hasToString("0 7 ");
    assertThat(gap.records().toRecords())
        .extracting(RecordData::timestampMs)
        .isEqualTo(List.of(1L, 2L));
  }
}
