package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.FelixClient;
import dev.felix.client.PublishReceipt;
import dev.felix.client.ReceivedRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;

/**
 * The one way tests publish numbered records and check what arrived. Record {@code i} of a test
 * carries the payload {@code r-i}; on a one-shard stream written by one publisher it lands at
 * offset {@code i}, so "no gap, no duplicate, in order" is a comparison of exact sequences.
 */
final class Records {
  private Records() {}

  static String payload(long index) {
    return "r-" + index;
  }

  /** {@code r-i} padded with dots to {@code size} characters (when shorter). */
  static String payload(long index, int size) {
    StringBuilder text = new StringBuilder(payload(index));
    while (text.length() < size) {
      text.append('.');
    }
    return text.toString();
  }

  static byte[] payloadBytes(long index) {
    return payloadBytes(index, 0);
  }

  static byte[] payloadBytes(long index, int size) {
    return payload(index, size).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Publishes records {@code from .. from+count-1} with {@code publishAsync} (the client batches
   * them) and waits for every acknowledgement.
   *
   * @return the receipts in publish order
   */
  static List<PublishReceipt> publish(FelixClient client, String stream, long from, int count) {
    return await(publishAsync(client, stream, from, count, 0), stream);
  }

  /** Starts publishing records {@code from .. from+count-1} padded to {@code size}; no waiting. */
  static List<CompletableFuture<PublishReceipt>> publishAsync(
      FelixClient client, String stream, long from, int count, int size) {
    List<CompletableFuture<PublishReceipt>> pending = new ArrayList<>(count);
    for (long i = from; i < from + count; i++) {
      pending.add(client.publishAsync(stream, payloadBytes(i, size)));
    }
    return pending;
  }

  /** Waits for every publish; fails the test on the first that failed. */
  static List<PublishReceipt> await(
      List<CompletableFuture<PublishReceipt>> pending, String stream) {
    List<PublishReceipt> receipts = new ArrayList<>(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      try {
        receipts.add(pending.get(i).get(60, TimeUnit.SECONDS));
      } catch (TimeoutException e) {
        // Neither acknowledged nor failed for a minute: a stall, not an error. Leave the evidence
        // (who waits where, client and broker threads alike) in the test's output.
        System.err.println(
            "publish " + i + " of " + pending.size() + " to " + stream + " stalled; threads:");
        System.err.println(threadDump());
        throw new AssertionError("a publish to " + stream + " stalled for 60 s", e);
      } catch (Exception e) {
        throw new AssertionError("a publish to " + stream + " failed", e);
      }
    }
    return receipts;
  }

  /** Every thread's name, state and stack, for a test that found something stuck. */
  static String threadDump() {
    StringBuilder dump = new StringBuilder();
    for (java.lang.management.ThreadInfo thread :
        java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      dump.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
      if (thread.getLockName() != null) {
        dump.append(" on ").append(thread.getLockName());
      }
      if (thread.getLockOwnerName() != null) {
        dump.append(" owned by ").append(thread.getLockOwnerName());
      }
      dump.append('\n');
      for (StackTraceElement frame : thread.getStackTrace()) {
        dump.append("    at ").append(frame).append('\n');
      }
    }
    return dump.toString();
  }

  /** Asserts receipts say records {@code from ..} went to shard 0 at offsets {@code from ..}. */
  static void assertAckedInOrder(List<PublishReceipt> receipts, long from) {
    List<Long> offsets = receipts.stream().map(PublishReceipt::offset).toList();
    assertThat(offsets).containsExactlyElementsOf(range(from, from + receipts.size()));
    assertThat(receipts).allSatisfy(receipt -> assertThat(receipt.shard()).isZero());
  }

  /**
   * Asserts {@code records} are exactly offsets {@code from} to {@code toExclusive - 1} of shard 0,
   * in order, each carrying its own payload: nothing missing, nothing twice, nothing else.
   */
  static void assertExactly(List<ReceivedRecord> records, long from, long toExclusive) {
    assertExactly(records, from, toExclusive, 0);
  }

  /** As {@link #assertExactly(List, long, long)} for payloads padded to {@code size}. */
  static void assertExactly(List<ReceivedRecord> records, long from, long toExclusive, int size) {
    assertThat(offsets(records))
        .as("offsets received")
        .containsExactlyElementsOf(range(from, toExclusive));
    assertPayloads(records, size);
  }

  /** Asserts every record carries the payload of its offset. */
  static void assertPayloads(List<ReceivedRecord> records, int size) {
    for (ReceivedRecord record : records) {
      assertThat(record.payloadAsString())
          .as("payload at offset %d", record.offset())
          .isEqualTo(payload(record.offset(), size));
    }
  }

  static List<Long> offsets(List<ReceivedRecord> records) {
    return records.stream().map(ReceivedRecord::offset).toList();
  }

  static List<Long> range(long from, long toExclusive) {
    return LongStream.range(from, toExclusive).boxed().toList();
  }
}
