package dev.felix.server.admin;

import dev.felix.broker.Broker;
import dev.felix.broker.CacheInfo;
import dev.felix.broker.StreamInfo;
import dev.felix.error.ErrorCode;
import dev.felix.error.NotFoundException;
import dev.felix.storage.log.LogMetrics;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.StreamRef;

/**
 * Removes a tenant's or namespace's streams (with their files) and caches from the broker and
 * counts what they held, for the admin API's delete answers and the audit log.
 *
 * <p>Threading: called by {@link MetadataConductor} under its lock; the broker calls are
 * thread-safe.
 */
final class BrokerPurger {
  private final Broker broker;

  BrokerPurger(Broker broker) {
    this.broker = broker;
  }

  /** True when the broker holds a stream or cache in the tenant (and namespace, if given). */
  boolean holdsResources(String tenant, String namespace) {
    return broker.streams().stream()
            .anyMatch(r -> within(r.tenant(), r.namespace(), tenant, namespace))
        || broker.caches().list().stream()
            .anyMatch(c -> within(c.cache().tenant(), c.cache().namespace(), tenant, namespace));
  }

  /** Deletes the broker's streams and caches in the tenant (and namespace, if given). */
  Purge purgeBroker(String tenant, String namespace) {
    Purge purged = Purge.NONE;
    for (StreamRef ref : broker.streams()) {
      if (within(ref.tenant(), ref.namespace(), tenant, namespace)) {
        try {
          purged = purged.plus(purgeStream(ref));
        } catch (NotFoundException e) {
          // Deleted meanwhile by a client-triggered path: nothing left to count.
        }
      }
    }
    for (CacheInfo cache : broker.caches().list()) {
      CacheRef ref = cache.cache();
      if (within(ref.tenant(), ref.namespace(), tenant, namespace)) {
        try {
          purged = purged.plus(new Purge(0, 0, 0, 1, broker.caches().drop(ref), 0, 0));
        } catch (NotFoundException e) {
          // Dropped meanwhile.
        }
      }
    }
    return purged;
  }

  /** Deletes one stream, counting what it held just before. */
  Purge purgeStream(StreamRef ref) {
    StreamInfo info =
        broker.stream(ref)
            .orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND, "no stream " + ref));
    long records = 0;
    long retained = 0;
    for (StreamInfo.ShardInfo shard : info.shards()) {
      LogMetrics log = shard.log();
      records += log.endOffset() - log.startOffset();
      retained += log.retainedBytes();
    }
    long fileBytes = broker.deleteStream(ref);
    return new Purge(1, records, info.config().durable() ? fileBytes : retained, 0, 0, 0, 0);
  }

  private static boolean within(
      String tenant, String namespace, String wantedTenant, String wantedNamespace) {
    return tenant.equals(wantedTenant)
        && (wantedNamespace == null || namespace.equals(wantedNamespace));
  }
}
