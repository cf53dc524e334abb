package dev.felix.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.broker.StreamConfig;
import dev.felix.broker.StreamInfo;
import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.log.LogMetrics;
import java.util.Locale;

/** How a stream is shown by the admin API. */
final class StreamJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private StreamJson() {}

  static ObjectNode of(StreamInfo info) {
    StreamConfig config = info.config();
    ObjectNode node = JSON.objectNode();
    node.put("tenant", info.stream().tenant());
    node.put("namespace", info.stream().namespace());
    node.put("name", info.stream().stream());
    node.put("shards", config.shards());
    node.put("storage", config.durable() ? "durable" : "memory");
    node.put("backpressure", config.policy().configName());
    if (config.durable()) {
      DurableLogConfig log = config.storage().log();
      node.put("fsync", log.fsyncPolicy().name().toLowerCase(Locale.ROOT));
      node.put("fsyncIntervalMs", log.fsyncIntervalMs());
      node.put("segmentBytes", log.segmentBytes());
      node.put("retentionMs", Math.max(0, log.retentionMs()));
      node.put("retentionBytes", Math.max(0, log.retentionBytes()));
    }
    ArrayNode shards = node.putArray("shardStats");
    for (StreamInfo.ShardInfo shard : info.shards()) {
      LogMetrics log = shard.log();
      ObjectNode s = shards.addObject();
      s.put("shard", shard.shard());
      s.put("startOffset", log.startOffset());
      s.put("endOffset", log.endOffset());
      s.put("retainedBytes", log.retainedBytes());
      s.put("subscriptions", shard.subscriptions());
    }
    return node;
  }
}
