package dev.felix.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.ReceivedRecord;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receive buffer without sockets: bounds, hysteresis, duplicates, end. */
class ReceiveBufferTest {
  private static final StreamRef STREAM = StreamRef.of("s");

  private final List<String> flow = new ArrayList<>();
  private final ReceiveBuffer buffer =
      new ReceiveBuffer(
          10,
          1 << 20,
          new ReceiveBuffer.FlowControl() {
            @Override
            public void pause() {
              flow.add("pause");
            }

            @Override
            public void resume() {
              flow.add("resume");
            }
          });

  private static ReceiveBuffer.Chunk chunk(long base, int count, long skipBelow) {
    List<RecordData> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(RecordData.of("r" + (base + i)));
    }
    return new ReceiveBuffer.Chunk(
        new EventBatch(1, STREAM, 0, base, RecordBatch.of(records)), skipBelow);
  }

  @Test
  void pausesAtTheBoundAndResumesAtHalf() throws Exception {
    buffer.offer(chunk(0, 6, -1));
    assertThat(flow).isEmpty();
    buffer.offer(chunk(6, 6, -1));
    assertThat(flow).containsExactly("pause");
    assertThat(buffer.isPaused()).isTrue();
    for (int i = 0; i < 6; i++) {
      assertThat(buffer.poll(0).offset()).isEqualTo(i);
    }
    assertThat(flow).containsExactly("pause");
    assertThat(buffer.poll(0).offset()).isEqualTo(6);
    assertThat(flow).containsExactly("pause", "resume");
    assertThat(buffer.records()).isEqualTo(5);
  }

  @Test
  void skipsRecordsBelowTheChunksFloor() throws Exception {
    buffer.offer(chunk(5, 4, 7));
    ReceivedRecord first = buffer.poll(0);
    assertThat(first.offset()).isEqualTo(7);
    assertThat(first.payloadAsString()).isEqualTo("r7");
    assertThat(buffer.poll(0).offset()).isEqualTo(8);
    assertThat(buffer.poll(0)).isNull();
    assertThat(buffer.records()).isZero();
  }

  @Test
  void endKeepsBufferedRecordsThenReportsTheCause() throws Exception {
    buffer.offer(chunk(0, 2, -1));
    LimitException cause = new LimitException(ErrorCode.SLOW_CONSUMER, "slow");
    buffer.end(cause);
    buffer.offer(chunk(2, 2, -1));
    assertThat(buffer.isDrained()).isFalse();
    assertThat(buffer.poll(0).offset()).isZero();
    assertThat(buffer.poll(0).offset()).isEqualTo(1);
    assertThat(buffer.poll(Long.MAX_VALUE)).isNull();
    assertThat(buffer.isDrained()).isTrue();
    assertThat(buffer.failure()).isSameAs(cause);
  }
}
