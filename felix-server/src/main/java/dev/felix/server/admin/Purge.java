package dev.felix.server.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a delete removed, for the answer and the audit log. Consumer-group positions do not exist
 * yet, so none are counted.
 *
 * @param streams streams deleted
 * @param records records they held (end minus start offset, over their shards)
 * @param bytes bytes removed: segment files of durable streams, retained log bytes of memory ones
 * @param caches caches dropped
 * @param cacheEntries entries those caches held
 * @param namespaces namespaces removed from the metadata
 * @param policies access policies removed (0 or 1)
 */
record Purge(
    long streams,
    long records,
    long bytes,
    long caches,
    long cacheEntries,
    long namespaces,
    long policies) {
  static final Purge NONE = new Purge(0, 0, 0, 0, 0, 0, 0);

  Purge plus(Purge other) {
    return new Purge(
        streams + other.streams,
        records + other.records,
        bytes + other.bytes,
        caches + other.caches,
        cacheEntries + other.cacheEntries,
        namespaces + other.namespaces,
        policies + other.policies);
  }

  ObjectNode toJson(String deleted) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("deleted", deleted);
    node.put("streamsRemoved", streams);
    node.put("recordsRemoved", records);
    node.put("bytesRemoved", bytes);
    node.put("cachesRemoved", caches);
    node.put("cacheEntriesRemoved", cacheEntries);
    node.put("namespacesRemoved", namespaces);
    node.put("policiesRemoved", policies);
    return node;
  }

  @Override
  public String toString() {
    return streams
        + " streams, "
        + records
        + " records, "
        + bytes
        + " bytes, "
        + caches
        + " caches, "
        + cacheEntries
        + " cache entries, "
        + namespaces
        + " namespaces, "
        + policies
        + " policies removed";
  }
}
