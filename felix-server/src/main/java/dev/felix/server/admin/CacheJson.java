package dev.felix.server.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.broker.CacheInfo;
import dev.felix.storage.cache.CacheStoreConfig;

/** How a cache is shown by the admin API. */
final class CacheJson {
  private CacheJson() {}

  static ObjectNode of(CacheInfo info) {
    CacheStoreConfig config = info.config();
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("tenant", info.cache().tenant());
    node.put("namespace", info.cache().namespace());
    node.put("name", info.cache().cache());
    node.put("maxBytes", config.maxBytes());
    node.put("defaultTtlMs", config.defaultTtlMs());
    node.put("maxTtlMs", config.maxTtlMs());
    node.put("maxValueBytes", config.maxValueBytes());
    node.put("storage", info.storage().kind());
    if (info.storage().durable()) {
      node.put("fsync", info.storage().fsyncName());
    }
    node.put("entries", info.entries());
    node.put("bytes", info.bytes());
    if (info.log() != null) {
      ObjectNode log = node.putObject("log");
      log.put("bytes", info.log().logBytes());
      log.put("liveBytes", info.log().liveBytes());
      log.put("queuedBytes", info.logQueuedBytes());
      log.put("compactions", info.log().compactions());
      log.put("replayedRecords", info.log().replayedRecords());
      log.put("errors", info.logErrors());
    }
    return node;
  }
}
