package dev.felix.broker.core;

import dev.felix.broker.StreamConfig;
import dev.felix.broker.StreamInfo;
import dev.felix.broker.storage.StorageLane;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stream: its settings and its shards. Immutable apart from the round-robin counter (atomic);
 * each shard guards its own state.
 */
public final class Stream {
  private final StreamRef ref;
  private final StreamConfig config;
  private final Shard[] shards;
  private final AtomicInteger roundRobin = new AtomicInteger();
  private final StorageLane lane;

  Stream(StreamRef ref, StreamConfig config, BrokerContext context) {
    this.ref = ref;
    this.config = config;
    this.shards = new Shard[config.shards()];
    EventReader reader = new EventReader(context);
    try {
      for (int i = 0; i < shards.length; i++) {
        shards[i] = new Shard(this, i, context, reader);
      }
    } catch (RuntimeException e) {
      // A shard's log failed to open (damaged segment, I/O): release the ones already open.
      for (Shard shard : shards) {
        if (shard != null) {
          shard.close();
        }
      }
      throw e;
    }
    this.lane = config.durable() ? context.storage().newLane(DURABLE_LANE_BYTES) : null;
  }

  /**
   * Bytes of publishes a durable stream queues for its storage lane before publishers are told to
   * wait: a few large batches, enough to keep the disk busy.
   */
  static final long DURABLE_LANE_BYTES = 32L * 1024 * 1024;

  /** The serial lane that runs this durable stream's appends; null for memory streams. */
  StorageLane lane() {
    return lane;
  }

  public StreamRef ref() {
    return ref;
  }

  public StreamConfig config() {
    return config;
  }

  public int shardCount() {
    return shards.length;
  }

  public Shard shard(int index) {
    return shards[index];
  }

  /**
   * The shard for records without a key and without an explicit shard: round robin per publish
   * call, so that a batch stays together in one shard and gets one ack range.
   */
  public int nextRoundRobinShard() {
    return shards.length == 1 ? 0 : Math.floorMod(roundRobin.getAndIncrement(), shards.length);
  }

  public StreamInfo info() {
    List<StreamInfo.ShardInfo> infos = new ArrayList<>(shards.length);
    for (Shard shard : shards) {
      infos.add(new StreamInfo.ShardInfo(shard.index(), shard.logMetrics(), shard.cursorCount()));
    }
    return new StreamInfo(ref, config, infos);
  }

  /** Flushes every shard's pending records to its subscribers now. */
  public void flush() {
    for (Shard shard : shards) {
      shard.flush();
    }
  }

  void close() {
    for (Shard shard : shards) {
      shard.close();
    }
  }
}
