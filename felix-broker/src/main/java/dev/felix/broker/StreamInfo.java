package dev.felix.broker;

import dev.felix.storage.log.LogMetrics;
import dev.felix.wire.message.StreamRef;
import java.util.List;

/**
 * A stream's settings and its shards' live figures, for admin and metrics.
 *
 * @param stream the stream
 * @param config its settings
 * @param shards per shard, in shard order
 */
public record StreamInfo(StreamRef stream, StreamConfig config, List<ShardInfo> shards) {
  public StreamInfo {
    shards = List.copyOf(shards);
  }

  /**
   * One shard.
   *
   * @param shard index
   * @param log its log's counters and offsets (live view)
   * @param subscriptions gauge {@code felix_broker_shard_subscriptions}: cursors attached now
   */
  public record ShardInfo(int shard, LogMetrics log, int subscriptions) {}
}
