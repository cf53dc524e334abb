package dev.felix.broker.core;

import dev.felix.broker.BrokerConfig;
import dev.felix.broker.PublishResult;
import dev.felix.error.FelixException;
import dev.felix.storage.log.Appended;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The publish path: resolve the stream, route and check the records, then append them under the
 * target shards' locks, all or nothing, and build the acknowledgement.
 *
 * <p>A publish whose records go to several shards (different keys) is split into one batch per
 * shard (a copy; the common single-shard case appends the publish's own bytes), and the shards are
 * locked together in shard order, so the block check and the appends are one atomic step and the
 * ack can never claim a record that was not appended.
 *
 * <p>Every publish passes a {@link PublishGate}, which shutdown closes (see {@link #stop}).
 *
 * <p>Threading: safe from any thread; the gate is its only state.
 */
public final class PublishCoordinator {
  private final BrokerContext context;
  private final StreamRegistry registry;
  private final PublishGate gate = new PublishGate();

  public PublishCoordinator(BrokerContext context, StreamRegistry registry) {
    this.context = context;
    this.registry = registry;
  }

  /** See {@code Broker#publish}. */
  public PublishResult publish(PublishTarget target, RecordBatch records) {
    BrokerCounters counters = context.counters();
    counters.publishRequests.increment();
    if (!gate.tryEnter()) {
      counters.publishErrors.increment();
      throw PublishGate.shuttingDown();
    }
    boolean exitsOnLane = false;
    try {
      Stream stream = registry.forUse(target.stream());
      BrokerConfig config = context.config();
      PublishRoute route =
          PublishRoute.of(
              stream,
              target,
              records,
              config.wireLimits(),
              config.maxRecordBytes(),
              config.maxBatchBytes());
      if (stream.config().durable()) {
        PublishResult result = publishDurable(stream, route, target, records);
        exitsOnLane = result.isAccepted();
        return result;
      }
      return append(stream, route, target, records);
    } catch (FelixException e) {
      counters.publishErrors.increment();
      throw e;
    } finally {
      if (!exitsOnLane) {
        gate.exit();
      }
    }
  }

  /**
   * Refuses every later publish with {@code UNAVAILABLE} and waits until the publishes already
   * accepted are in their logs (durable ones behind what their storage lane has queued).
   *
   * @return false when {@code deadlineNanos} (on {@link System#nanoTime()}) came first
   */
  public boolean stop(long deadlineNanos) {
    return gate.close(deadlineNanos);
  }

  private PublishResult append(
      Stream stream, PublishRoute route, PublishTarget target, RecordBatch records) {
    return route.isSingleShard()
        ? publishToOne(stream.shard(route.singleShard), target, records)
        : new SplitPublish(stream, route, records, context.config().wireLimits())
            .publish(target, context.counters());
  }

  /**
   * A durable stream's publish runs on its storage lane, never on the caller's (transport) thread:
   * the route is checked here, the append and its fsync wait happen there, and the returned ack
   * completes when the append satisfies the stream's fsync policy (or fails typed). A full lane
   * answers BLOCKED until it drains. Durable streams never hold publishers for slow subscribers, so
   * the append on the lane is never BLOCKED itself.
   */
  private PublishResult publishDurable(
      Stream stream, PublishRoute route, PublishTarget target, RecordBatch records) {
    CompletableFuture<PublishAck> ack = new CompletableFuture<>();
    Runnable work =
        () -> {
          try {
            PublishResult appended = append(stream, route, target, records);
            appended
                .ack()
                .whenComplete(
                    (done, failure) -> {
                      if (failure != null) {
                        ack.completeExceptionally(failure);
                      } else {
                        ack.complete(done);
                      }
                    });
          } catch (RuntimeException e) {
            context.counters().publishErrors.increment();
            ack.completeExceptionally(e);
          } finally {
            gate.exit();
          }
        };
    if (!stream.lane().offer(records.sizeBytes(), work)) {
      context.counters().publishBlocked.increment();
      return PublishResult.blocked(stream.lane().drained());
    }
    return PublishResult.accepted(ack);
  }

  private PublishResult publishToOne(Shard shard, PublishTarget target, RecordBatch records) {
    AckMode ackMode = target.ackMode();
    int count = records.count();
    int bytes = records.sizeBytes();
    long producer = target.producerId();
    Appended appended;
    boolean retry = false;
    shard.lock();
    try {
      shard.checkAppendLocked(count, bytes);
      Appended earlier =
          producer == 0
              ? null
              : shard
                  .producersLocked()
                  .findRetry(producer, target.sequence(), target.sequence() + count - 1);
      if (earlier != null) {
        appended = earlier; // a retry: acknowledge the first append, append nothing
        retry = true;
      } else {
        CompletionStage<Void> blocked = blockedSignal(shard, count, bytes);
        if (blocked != null) {
          context.counters().publishBlocked.increment();
          return PublishResult.blocked(blocked);
        }
        appended =
            shard.appendLocked(records, producer, target.sequence(), target.sequence() + count - 1);
      }
    } finally {
      shard.unlock();
    }
    if (retry) {
      context.counters().publishDuplicates.add(count);
    } else {
      context.counters().publishedRecords.add(count);
      context.counters().publishedBytes.add(bytes);
    }
    if (ackMode == AckMode.NONE) {
      return PublishResult.acceptedWithoutAck();
    }
    int index = shard.index();
    PublishAck ack = PublishAck.appended(index, appended.baseOffset(), count);
    if (appended.isDurable()) {
      return PublishResult.accepted(CompletableFuture.completedStage(ack));
    }
    return PublishResult.accepted(
        appended
            .durable()
            .handle((ok, failure) -> failure == null ? ack : SplitPublish.failed(count)));
  }

  /**
   * The stage to wait on when {@code shard} must hold this publish back, else null. Checks, then
   * registers the signal, then checks again, so a wake-up in between is never missed.
   */
  static CompletionStage<Void> blockedSignal(Shard shard, int count, long bytes) {
    if (!shard.isBlockedLocked(count, bytes)) {
      return null;
    }
    CompletionStage<Void> signal = shard.blockedSignal();
    return shard.isBlockedLocked(count, bytes) ? signal : null;
  }
}
