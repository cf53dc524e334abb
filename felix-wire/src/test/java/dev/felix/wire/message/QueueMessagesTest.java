package dev.felix.wire.message;

import static dev.felix.wire.TestFrames.assertDecodeRejected;
import static dev.felix.wire.TestFrames.assertRejected;
import static dev.felix.wire.TestFrames.decode;
import static dev.felix.wire.TestFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.MessageType;
import dev.felix.wire.WireLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/** QueueAck, QueueNack and Credit payloads that break a rule. */
class QueueMessagesTest {
  private static final String ENTRY = " 00000000 0000000000000001";

  @Test
  void acksAndNacksNeedAtLeastOneRecord() {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.QUEUE_ACK, "00000001 00000000"));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.QUEUE_NACK, "00000001 00000000 00000000"));
  }

  @Test
  void entriesNeedNonNegativeShardsAndOffsets() {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.QUEUE_ACK, "00000001 00000001 80000000 0000000000000000"));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.QUEUE_NACK, "00000001 00000000 00000001 00000000 8000000000000000"));
  }

  @Test
  void entryCountsAboveTheLimitAreRejected() {
    FrameCodec small = new FrameCodec(new WireLimits(1024, 10, 16, 4, 16, 2));
    byte[] ack = frame(MessageType.QUEUE_ACK, "00000001 00000003" + ENTRY.repeat(3));
    byte[] nack = frame(MessageType.QUEUE_NACK, "00000001 00000000 00000003" + ENTRY.repeat(3));

    assertRejected(ErrorCode.LIMIT_EXCEEDED, () -> small.decode(ack));
    assertRejected(ErrorCode.LIMIT_EXCEEDED, () -> small.decode(nack));
    assertThat(decode(ack).message())
        .isEqualTo(
            new QueueAck(
                1, List.of(new ShardOffset(0, 1), new ShardOffset(0, 1), new ShardOffset(0, 1))));
  }

  @Test
  void entryCountsBeyondThePayloadAreMalformed() {
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME, frame(MessageType.QUEUE_ACK, "00000001 00000002" + ENTRY));
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME, frame(MessageType.QUEUE_ACK, "00000001 ffffffff" + ENTRY));
  }

  @Test
  void queueMessagesNeedASubscription() {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.QUEUE_ACK, "00000000 00000001" + ENTRY));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.QUEUE_NACK, "00000000 00000000 00000001" + ENTRY));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.CREDIT, "00000000 00000001"));
  }

  @Test
  void nackDelayAboveTheLargestIntIsMalformed() {
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(MessageType.QUEUE_NACK, "00000001 80000000 00000001" + ENTRY));
  }

  @Test
  void creditsMustBePositive() {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.CREDIT, "00000001 00000000"));
    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.CREDIT, "00000001 ffffffff"));
    assertThat(decode(frame(MessageType.CREDIT, "00000001 7fffffff")).message())
        .isEqualTo(new Credit(1, Integer.MAX_VALUE));
  }
}
