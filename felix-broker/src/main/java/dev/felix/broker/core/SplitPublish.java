package dev.felix.broker.core;

import dev.felix.broker.PublishResult;
import dev.felix.error.ConflictException;
import dev.felix.error.ErrorCode;
import dev.felix.storage.log.Appended;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCodec;
import dev.felix.wire.message.RecordCursor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A publish whose records go to more than one shard: one copied batch per shard (publish order kept
 * within each), appended under all their locks taken in shard order, acknowledged with one range
 * per run of consecutive records that landed in one shard at consecutive offsets.
 *
 * <p>Threading: confined to the publishing thread; shard state is touched only under the locks.
 */
final class SplitPublish {
  private final Stream stream;
  private final int[] shardOfRecord;
  private final RecordBatch[] perShard;

  SplitPublish(Stream stream, PublishRoute route, RecordBatch records, WireLimits limits) {
    this.stream = stream;
    this.shardOfRecord = route.shardOfRecord;
    int shards = stream.shardCount();
    int[] counts = new int[shards];
    int[] sizes = new int[shards];
    RecordCursor cursor = records.cursor();
    while (cursor.next()) {
      int shard = shardOfRecord[cursor.index()];
      counts[shard]++;
      sizes[shard] += cursor.recordSize();
    }
    ByteBuffer[] buffers = new ByteBuffer[shards];
    for (int shard = 0; shard < shards; shard++) {
      if (counts[shard] > 0) {
        buffers[shard] = ByteBuffer.allocate(sizes[shard]);
      }
    }
    int[] next = new int[shards];
    cursor = records.cursor();
    ByteBuffer source = cursor.buffer();
    while (cursor.next()) {
      int shard = shardOfRecord[cursor.index()];
      ByteBuffer out = buffers[shard];
      int at = out.position();
      out.put(at, source, cursor.recordPosition(), cursor.recordSize());
      out.putInt(at + RecordCodec.OFFSET_DELTA_OFFSET, next[shard]++);
      out.position(at + cursor.recordSize());
    }
    perShard = new RecordBatch[shards];
    for (int shard = 0; shard < shards; shard++) {
      if (buffers[shard] != null) {
        perShard[shard] =
            RecordBatch.wrap(
                buffers[shard].flip(), counts[shard], RecordBatch.Kind.PUBLISH, limits);
      }
    }
  }

  PublishResult publish(PublishTarget target, BrokerCounters counters) {
    AckMode ackMode = target.ackMode();
    int shards = perShard.length;
    Appended[] appended = new Appended[shards];
    long producer = target.producerId();
    long[] firstSequence = new long[shards];
    long[] lastSequence = new long[shards];
    if (producer != 0) {
      // Record i of the publish has sequence target.sequence() + i, whichever shard it lands in.
      java.util.Arrays.fill(firstSequence, -1);
      for (int i = 0; i < shardOfRecord.length; i++) {
        int shard = shardOfRecord[i];
        if (firstSequence[shard] < 0) {
          firstSequence[shard] = target.sequence() + i;
        }
        lastSequence[shard] = target.sequence() + i;
      }
    }
    int lockedUpTo = -1;
    try {
      for (int shard = 0; shard < shards; shard++) {
        if (perShard[shard] != null) {
          stream.shard(shard).lock();
          lockedUpTo = shard;
          stream
              .shard(shard)
              .checkAppendLocked(perShard[shard].count(), perShard[shard].sizeBytes());
        }
      }
      if (producer != 0 && findRetry(producer, firstSequence, lastSequence, appended)) {
        counters.publishDuplicates.add(shardOfRecord.length);
        return acknowledge(ackMode, appended);
      }
      for (int shard = 0; shard < shards; shard++) {
        RecordBatch batch = perShard[shard];
        if (batch != null) {
          CompletionStage<Void> blocked =
              PublishCoordinator.blockedSignal(
                  stream.shard(shard), batch.count(), batch.sizeBytes());
          if (blocked != null) {
            counters.publishBlocked.increment();
            return PublishResult.blocked(blocked);
          }
        }
      }
      for (int shard = 0; shard < shards; shard++) {
        if (perShard[shard] != null) {
          appended[shard] =
              stream
                  .shard(shard)
                  .appendLocked(
                      perShard[shard], producer, firstSequence[shard], lastSequence[shard]);
          counters.publishedRecords.add(perShard[shard].count());
          counters.publishedBytes.add(perShard[shard].sizeBytes());
        }
      }
    } finally {
      for (int shard = lockedUpTo; shard >= 0; shard--) {
        if (perShard[shard] != null) {
          stream.shard(shard).unlock();
        }
      }
    }
    return acknowledge(ackMode, appended);
  }

  /**
   * With every shard's lock held: true when each shard this publish touches remembers exactly its
   * part as one earlier append (a retry), filling {@code appended} with those appends; false when
   * no shard does. A mix cannot come from a correct client (the publish was all-or-nothing).
   */
  private boolean findRetry(long producer, long[] first, long[] last, Appended[] appended) {
    int retried = 0;
    int touched = 0;
    for (int shard = 0; shard < perShard.length; shard++) {
      if (perShard[shard] != null) {
        touched++;
        appended[shard] =
            stream.shard(shard).producersLocked().findRetry(producer, first[shard], last[shard]);
        if (appended[shard] != null) {
          retried++;
        }
      }
    }
    if (retried == 0) {
      return false;
    }
    if (retried != touched) {
      throw new ConflictException(
          ErrorCode.CONFLICT,
          "producer " + producer + ": part of this publish was appended before, part was not");
    }
    return true;
  }

  private PublishResult acknowledge(AckMode ackMode, Appended[] appended) {
    if (ackMode == AckMode.NONE) {
      return PublishResult.acceptedWithoutAck();
    }
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (Appended append : appended) {
      if (append != null && !append.isDurable()) {
        pending.add(append.durable().toCompletableFuture());
      }
    }
    if (pending.isEmpty()) {
      return PublishResult.accepted(CompletableFuture.completedStage(ack(appended, null)));
    }
    return PublishResult.accepted(
        CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
            .handle((ok, failure) -> ack(appended, failedShards(appended))));
  }

  private static boolean[] failedShards(Appended[] appended) {
    boolean[] failed = new boolean[appended.length];
    for (int shard = 0; shard < appended.length; shard++) {
      failed[shard] =
          appended[shard] != null
              && appended[shard].durable().toCompletableFuture().isCompletedExceptionally();
    }
    return failed;
  }

  /** Ranges in publish order; records of a shard whose durability failed are reported failed. */
  private PublishAck ack(Appended[] appended, boolean[] failed) {
    long[] nextOffset = new long[appended.length];
    for (int shard = 0; shard < appended.length; shard++) {
      nextOffset[shard] = appended[shard] == null ? -1 : appended[shard].baseOffset();
    }
    List<PublishAck.Range> ranges = new ArrayList<>();
    int runShard = -2;
    int runCount = 0;
    long runBase = -1;
    boolean runFailed = false;
    for (int shard : shardOfRecord) {
      boolean isFailed = failed != null && failed[shard];
      long offset = nextOffset[shard]++;
      boolean continuesRun =
          runCount > 0
              && runFailed == isFailed
              && (isFailed || (runShard == shard && runBase + runCount == offset));
      if (!continuesRun) {
        if (runCount > 0) {
          ranges.add(range(runShard, runBase, runCount, runFailed));
        }
        runShard = shard;
        runBase = offset;
        runCount = 0;
        runFailed = isFailed;
      }
      runCount++;
    }
    ranges.add(range(runShard, runBase, runCount, runFailed));
    return new PublishAck(ranges);
  }

  private static PublishAck.Range range(int shard, long base, int count, boolean failed) {
    return failed
        ? PublishAck.Range.failed(ErrorCode.STORAGE_ERROR, count)
        : PublishAck.Range.appended(shard, base, count);
  }

  /** The ack of a publish whose one shard failed to make it durable. */
  static PublishAck failed(int count) {
    return new PublishAck(List.of(PublishAck.Range.failed(ErrorCode.STORAGE_ERROR, count)));
  }
}
