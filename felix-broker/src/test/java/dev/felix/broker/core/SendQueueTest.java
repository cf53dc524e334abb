package dev.felix.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.broker.BackPressurePolicy;
import dev.felix.broker.SharedEvents;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.StreamRef;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class SendQueueTest {
  private static final StreamRef STREAM = StreamRef.of("q");
  private static final int SHARED = 80;
  private static final int FRAME = EventBatch.PREFIX_BYTES + SHARED;

  private final LongAdder total = new LongAdder();

  private static SharedEvents batch(int shard, long base, int records) {
    return new SharedEvents(STREAM, shard, base, records, ByteBuffer.allocate(SHARED), 0);
  }

  /** Drains the queue into readable strings: "s0:5+2" for a batch, "drop s0 3 next 7". */
  private static List<String> drain(SendQueue queue) {
    List<String> out = new ArrayList<>();
    Object head;
    while ((head = queue.peek()) != null) {
      if (head instanceof SharedEvents events) {
        out.add("s" + events.shard() + ":" + events.baseOffset() + "+" + events.recordCount());
      } else {
        DropNotice notice = (DropNotice) head;
        out.add("drop s" + notice.shard + " " + notice.droppedCount + " next " + notice.nextOffset);
      }
      queue.removeHead();
    }
    return out;
  }

  @Test
  void dropOldestPutsOneMergedNoticePerShardBeforeEverythingQueued() {
    SendQueue queue = new SendQueue(2, 2L * FRAME, total);
    queue.offerLive(batch(0, 0, 2), BackPressurePolicy.DROP_OLDEST);
    queue.offerLive(batch(1, 0, 3), BackPressurePolicy.DROP_OLDEST);
    assertThat(queue.offerLive(batch(0, 2, 2), BackPressurePolicy.DROP_OLDEST)).isEqualTo(2);
    assertThat(queue.offerLive(batch(1, 3, 1), BackPressurePolicy.DROP_OLDEST)).isEqualTo(3);
    assertThat(queue.offerLive(batch(0, 4, 1), BackPressurePolicy.DROP_OLDEST)).isEqualTo(2);
    assertThat(queue.bytes()).isEqualTo(2L * FRAME);
    assertThat(drain(queue))
        .containsExactly("drop s0 4 next 4", "drop s1 3 next 3", "s1:3+1", "s0:4+1");
    assertThat(queue.bytes()).isZero();
    assertThat(total.sum()).isZero();
  }

  @Test
  void dropNewestMergesNoticesPerShardEvenWhenShardsInterleave() {
    SendQueue queue = new SendQueue(2, FRAME, total);
    queue.offerLive(batch(0, 0, 1), BackPressurePolicy.DROP_NEWEST);
    for (int i = 1; i <= 3; i++) {
      assertThat(queue.offerLive(batch(0, i, 1), BackPressurePolicy.DROP_NEWEST)).isEqualTo(1);
      assertThat(queue.offerLive(batch(1, i, 2), BackPressurePolicy.DROP_NEWEST)).isEqualTo(2);
    }
    assertThat(drain(queue)).containsExactly("s0:0+1", "drop s0 3 next 4", "drop s1 6 next 5");
  }

  @Test
  void aNoticeClosesWhenItsShardQueuesABatchAfterIt() {
    SendQueue queue = new SendQueue(1, FRAME, total);
    queue.offerLive(batch(0, 0, 1), BackPressurePolicy.DROP_NEWEST);
    queue.offerLive(batch(0, 1, 1), BackPressurePolicy.DROP_NEWEST);
    queue.removeHead(); // the sink took the first batch: room again
    queue.offerLive(batch(0, 2, 1), BackPressurePolicy.DROP_NEWEST);
    queue.offerLive(batch(0, 3, 1), BackPressurePolicy.DROP_NEWEST);
    assertThat(drain(queue)).containsExactly("drop s0 1 next 2", "s0:2+1", "drop s0 1 next 4");
  }

  @Test
  void emptyQueueTakesAnOversizedBatchAndBlockNeverDrops() {
    SendQueue queue = new SendQueue(1, 10, total);
    assertThat(queue.offerLive(batch(0, 0, 1), BackPressurePolicy.DISCONNECT)).isZero();
    assertThat(queue.hasRoom()).isFalse();
    assertThat(queue.offerLive(batch(0, 1, 1), BackPressurePolicy.DISCONNECT))
        .isEqualTo(SendQueue.OVERFLOW);
    assertThat(queue.offerLive(batch(0, 1, 1), BackPressurePolicy.BLOCK)).isZero();
    assertThat(queue.bytes()).isEqualTo(2L * FRAME);
    queue.clear();
    assertThat(queue.isEmpty()).isTrue();
    assertThat(total.sum()).isZero();
  }

  @Test
  void dropOldestMovesAGapNoticeAtTheHeadToTheFront() {
    SendQueue queue = new SendQueue(1, 2L * FRAME, total);
    queue.add(batch(0, 0, 1));
    queue.addGap(0, 5, 6);
    queue.add(batch(0, 6, 1));
    queue.offerLive(batch(0, 7, 1), BackPressurePolicy.DROP_OLDEST);
    queue.offerLive(batch(0, 8, 1), BackPressurePolicy.DROP_OLDEST);
    assertThat(drain(queue)).containsExactly("drop s0 7 next 7", "s0:7+1", "s0:8+1");
  }
}
