package dev.felix.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.felix.broker.BackPressurePolicy;
import dev.felix.broker.Broker;
import dev.felix.broker.CacheInfo;
import dev.felix.broker.CacheStorage;
import dev.felix.broker.GroupSettings;
import dev.felix.broker.StreamConfig;
import dev.felix.broker.StreamInfo;
import dev.felix.broker.StreamStorage;
import dev.felix.error.ConflictException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.NotFoundException;
import dev.felix.server.metadata.MetadataChange;
import dev.felix.server.metadata.MetadataSnapshot;
import dev.felix.server.metadata.MetadataStore;
import dev.felix.server.security.Security;
import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.StreamRef;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the broker, the metadata store and the access policies in step for every admin change.
 *
 * <p>Order of effects: creations change the broker first and record the result (undoing the broker
 * change when the store cannot write), so the store never names a resource that failed to exist;
 * deletions forget the resource in the store first, so a crash half-way never resurrects it at the
 * next start. Preconditions (a namespace exists before its streams) are checked here, not in the
 * store, which only replays changes.
 *
 * <p>Threading: every change holds this object's lock, so checks and effects of two admin requests
 * never interleave. The data path never takes it: it reads the broker and {@code
 * AccessPolicies.current()}.
 */
final class MetadataConductor {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataConductor.class);

  private final Broker broker;
  private final MetadataStore store;
  private final Security security;
  private final Clock clock;
  private final BrokerPurger purger;

  MetadataConductor(Broker broker, MetadataStore store, Security security, Clock clock) {
    this.broker = broker;
    this.store = store;
    this.security = security;
    this.clock = clock;
    this.purger = new BrokerPurger(broker);
  }

  MetadataSnapshot current() {
    return store.current();
  }

  /** The policy file, or null when the policies live in the metadata store. */
  Path policyFile() {
    return security.policyFile();
  }

  /**
   * Re-creates, empty, the memory streams and caches the store records and puts its policies in
   * force (when no policy file is used). A resource that no longer fits the broker's settings is
   * logged and skipped, not dropped from the store: raising the limit brings it back.
   *
   * @throws IllegalArgumentException when the stored policies do not compile
   */
  synchronized void restore() {
    MetadataSnapshot snapshot = store.current();
    for (MetadataSnapshot.MemoryStream stream : snapshot.streams().values()) {
      StreamRef ref = new StreamRef(stream.tenant(), stream.namespace(), stream.name());
      try {
        broker.createStream(ref, memoryStream(stream.shards(), stream.backpressure()));
      } catch (FelixException | IllegalArgumentException e) {
        LOG.error("metadata: cannot re-create memory stream {}: {}", ref, e.getMessage());
      }
    }
    for (MetadataSnapshot.Cache cache : snapshot.caches().values()) {
      CacheRef ref = new CacheRef(cache.tenant(), cache.namespace(), cache.name());
      try {
        broker.caches().create(ref, settings(cache));
      } catch (FelixException | IllegalArgumentException e) {
        LOG.error("metadata: cannot re-create cache {}: {}", ref, e.getMessage());
      }
    }
    for (MetadataSnapshot.Group group : snapshot.groups().values()) {
      StreamRef ref = new StreamRef(group.tenant(), group.namespace(), group.stream());
      try {
        broker.putGroupSettings(ref, group.group(), settings(group));
      } catch (FelixException | IllegalArgumentException e) {
        LOG.error(
            "metadata: cannot apply settings of group {} on {}: {}",
            group.group(),
            ref,
            e.getMessage());
      }
    }
    if (policyFile() == null) {
      security.policies().replace(PolicyDocuments.snapshot(snapshot.policies()));
    }
  }

  synchronized MetadataSnapshot.Tenant createTenant(String tenant) {
    if (store.current().hasTenant(tenant)) {
      throw new ConflictException(ErrorCode.ALREADY_EXISTS, "tenant " + tenant + " exists");
    }
    MetadataSnapshot.Tenant created = new MetadataSnapshot.Tenant(tenant, now());
    store.apply(new MetadataChange.PutTenant(created));
    return created;
  }

  /**
   * Deletes a tenant with everything in it: its streams (also auto-created ones) and their files,
   * its caches, namespaces and policy.
   */
  synchronized Purge deleteTenant(String tenant) {
    if (MetadataSnapshot.DEFAULT.equals(tenant)) {
      throw new ConflictException(
          ErrorCode.CONFLICT, "tenant default always exists; delete its streams and caches");
    }
    MetadataSnapshot before = store.current();
    String prefix = tenant + "/";
    long namespaces =
        before.namespaces().keySet().stream().filter(k -> k.startsWith(prefix)).count();
    boolean hadPolicy = before.policies().containsKey(tenant);
    if (!before.hasTenant(tenant) && !purger.holdsResources(tenant, null)) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no tenant " + tenant);
    }
    store.apply(new MetadataChange.RemoveTenant(tenant));
    if (hadPolicy && policyFile() == null) {
      security.policies().replace(PolicyDocuments.snapshot(store.current().policies()));
    }
    return purger
        .purgeBroker(tenant, null)
        .plus(new Purge(0, 0, 0, 0, 0, namespaces, hadPolicy ? 1 : 0));
  }

  synchronized MetadataSnapshot.Namespace createNamespace(String tenant, String namespace) {
    MetadataSnapshot snapshot = store.current();
    if (!snapshot.hasTenant(tenant)) {
      throw new AdminError(
          404,
          ErrorCode.NOT_FOUND,
          "tenant",
          "tenant: " + tenant + " does not exist; create it first (POST /admin/v1/tenants)");
    }
    if (snapshot.hasNamespace(tenant, namespace)) {
      throw new ConflictException(
          ErrorCode.ALREADY_EXISTS, "namespace " + tenant + "/" + namespace + " exists");
    }
    MetadataSnapshot.Namespace created = new MetadataSnapshot.Namespace(tenant, namespace, now());
    store.apply(new MetadataChange.PutNamespace(created));
    return created;
  }

  /** Deletes a namespace with its streams (and their files) and caches. */
  synchronized Purge deleteNamespace(String tenant, String namespace) {
    if (MetadataSnapshot.DEFAULT.equals(tenant) && MetadataSnapshot.DEFAULT.equals(namespace)) {
      throw new ConflictException(
          ErrorCode.CONFLICT, "namespace default/default always exists; delete its streams");
    }
    boolean recorded = store.current().namespaces().containsKey(tenant + "/" + namespace);
    if (!recorded && !purger.holdsResources(tenant, namespace)) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no namespace " + tenant + "/" + namespace);
    }
    store.apply(new MetadataChange.RemoveNamespace(tenant, namespace));
    return purger
        .purgeBroker(tenant, namespace)
        .plus(new Purge(0, 0, 0, 0, 0, recorded ? 1 : 0, 0));
  }

  /** Creates a stream in an existing namespace; a memory stream is recorded to come back empty. */
  synchronized StreamInfo createStream(StreamRef ref, StreamConfig config) {
    requireNamespace(ref.tenant(), ref.namespace());
    StreamInfo created = broker.createStream(ref, config);
    if (!config.durable()) {
      try {
        store.apply(
            new MetadataChange.PutStream(
                new MetadataSnapshot.MemoryStream(
                    ref.tenant(),
                    ref.namespace(),
                    ref.stream(),
                    config.shards(),
                    config.policy().configName())));
      } catch (RuntimeException e) {
        broker.deleteStream(ref);
        throw e;
      }
    }
    return created;
  }

  synchronized Purge deleteStream(StreamRef ref) {
    if (broker.stream(ref).isEmpty()) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no stream " + ref);
    }
    String prefix = ref + "/";
    if (store.current().streams().containsKey(ref.toString())
        || store.current().groups().keySet().stream().anyMatch(k -> k.startsWith(prefix))) {
      store.apply(new MetadataChange.RemoveStream(ref.toString()));
    }
    return purger.purgeStream(ref);
  }

  /**
   * Sets a consumer group's own settings (applied at once to the running group) and records them.
   *
   * @return true when the group had no settings of its own before
   */
  synchronized boolean putGroup(StreamRef ref, String group, GroupSettings settings) {
    if (broker.stream(ref).isEmpty()) {
      throw new AdminError(404, ErrorCode.NOT_FOUND, null, "no stream " + ref);
    }
    Optional<GroupSettings> before = broker.groupSettings(ref, group);
    boolean created = broker.putGroupSettings(ref, group, settings);
    try {
      store.apply(
          new MetadataChange.PutGroup(
              new MetadataSnapshot.Group(
                  ref.tenant(),
                  ref.namespace(),
                  ref.stream(),
                  group,
                  settings.maxDeliveries(),
                  settings.visibilityTimeoutMs(),
                  settings.deadLetterStream(),
                  settings.maxInFlight())));
    } catch (RuntimeException e) {
      if (before.isPresent()) {
        broker.putGroupSettings(ref, group, before.get());
      } else {
        broker.clearGroupSettings(ref, group);
      }
      throw e;
    }
    return created;
  }

  /** Deletes a consumer group: its settings, members, stored position and counters. */
  synchronized void deleteGroup(StreamRef ref, String group) {
    String key = ref + "/" + group;
    boolean recorded = store.current().groups().containsKey(key);
    if (recorded) {
      store.apply(new MetadataChange.RemoveGroup(key));
    }
    if (!broker.deleteGroup(ref, group) && !recorded) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no group " + group + " on " + ref);
    }
  }

  synchronized CacheInfo createCache(CacheRef ref, CacheStoreConfig settings) {
    return createCache(ref, settings, CacheStorage.MEMORY);
  }

  /**
   * Creates a cache. A memory cache is recorded in the metadata store (re-created empty at start);
   * a durable cache, like a durable stream, is recorded by its own definition file beside its log
   * and reopened from there with its contents.
   */
  synchronized CacheInfo createCache(
      CacheRef ref, CacheStoreConfig settings, CacheStorage storage) {
    requireNamespace(ref.tenant(), ref.namespace());
    CacheInfo created = broker.caches().create(ref, settings, storage);
    if (storage.durable()) {
      return created;
    }
    try {
      store.apply(new MetadataChange.PutCache(entry(ref, settings)));
    } catch (RuntimeException e) {
      broker.caches().drop(ref);
      throw e;
    }
    return created;
  }

  /** Changes a cache's TTL defaults and value limit (also of an auto-created cache). */
  synchronized CacheInfo updateCache(CacheRef ref, CacheStoreConfig settings) {
    CacheInfo before =
        broker
            .caches()
            .describe(ref)
            .orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND, "no cache " + ref));
    CacheInfo updated = broker.caches().update(ref, settings);
    if (updated.storage().durable()) {
      return updated; // its definition file was rewritten by the update
    }
    try {
      store.apply(new MetadataChange.PutCache(entry(ref, settings)));
    } catch (RuntimeException e) {
      broker.caches().update(ref, before.config());
      throw e;
    }
    return updated;
  }

  synchronized Purge deleteCache(CacheRef ref) {
    if (broker.caches().describe(ref).isEmpty()) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no cache " + ref);
    }
    if (store.current().caches().containsKey(ref.toString())) {
      store.apply(new MetadataChange.RemoveCache(ref.toString()));
    }
    return new Purge(0, 0, 0, 1, broker.caches().drop(ref), 0, 0);
  }

  /**
   * Sets a tenant's policy and puts the new rules in force at once.
   *
   * @return true when the tenant had no policy before
   */
  synchronized boolean putPolicy(String tenant, JsonNode document) {
    requirePoliciesFromApi();
    PolicyDocuments.validate(tenant, document);
    boolean created = !store.current().policies().containsKey(tenant);
    store.apply(new MetadataChange.PutPolicy(tenant, document));
    security.policies().replace(PolicyDocuments.snapshot(store.current().policies()));
    return created;
  }

  synchronized void deletePolicy(String tenant) {
    requirePoliciesFromApi();
    if (!store.current().policies().containsKey(tenant)) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no policy for tenant " + tenant);
    }
    store.apply(new MetadataChange.RemovePolicy(tenant));
    security.policies().replace(PolicyDocuments.snapshot(store.current().policies()));
  }

  private void requirePoliciesFromApi() {
    if (policyFile() != null) {
      throw new AdminError(
          409,
          ErrorCode.CONFLICT,
          null,
          "access policies are managed by the policy file "
              + policyFile()
              + " (FELIX_AUTH_POLICY_FILE); edit the file instead");
    }
  }

  private void requireNamespace(String tenant, String namespace) {
    if (!store.current().hasNamespace(tenant, namespace)) {
      throw new AdminError(
          404,
          ErrorCode.NOT_FOUND,
          "namespace",
          "namespace: "
              + tenant
              + "/"
              + namespace
              + " does not exist; create it first (POST /admin/v1/namespaces)");
    }
  }

  private StreamConfig memoryStream(int shards, String backpressure) {
    return broker
        .config()
        .defaultStream()
        .withShards(shards)
        .withPolicy(BackPressurePolicy.fromConfigName(backpressure))
        .withStorage(StreamStorage.MEMORY);
  }

  private static GroupSettings settings(MetadataSnapshot.Group group) {
    return new GroupSettings(
        group.maxDeliveries(),
        group.visibilityTimeoutMs(),
        group.deadLetterStream(),
        group.maxInFlight());
  }

  private static CacheStoreConfig settings(MetadataSnapshot.Cache cache) {
    return new CacheStoreConfig(
        cache.maxBytes(), cache.defaultTtlMs(), cache.maxTtlMs(), cache.maxValueBytes());
  }

  private static MetadataSnapshot.Cache entry(CacheRef ref, CacheStoreConfig settings) {
    return new MetadataSnapshot.Cache(
        ref.tenant(),
        ref.namespace(),
        ref.cache(),
        settings.maxBytes(),
        settings.defaultTtlMs(),
        settings.maxTtlMs(),
        settings.maxValueBytes());
  }

  private String now() {
    return clock.instant().toString();
  }
}
