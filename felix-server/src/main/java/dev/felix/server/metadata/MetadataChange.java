package dev.felix.server.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One change to the metadata: a pure function from a snapshot to the next. Changes do not check
 * preconditions (that a namespace's tenant exists, say); the admin API does that before it applies
 * them, under its own lock, so the store stays a dumb, replayable sequence of changes, which is
 * what a replicated log will need.
 */
public sealed interface MetadataChange {

  /** The snapshot after this change (version not yet advanced: the store does that). */
  MetadataSnapshot applyTo(MetadataSnapshot current);

  /** Adds or replaces a tenant. */
  record PutTenant(MetadataSnapshot.Tenant tenant) implements MetadataChange {
    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      Map<String, MetadataSnapshot.Tenant> tenants = new HashMap<>(s.tenants());
      tenants.put(tenant.name(), tenant);
      return new MetadataSnapshot(
          s.version(), tenants, s.namespaces(), s.streams(), s.caches(), s.policies(), s.groups());
    }
  }

  /** Removes a tenant with everything recorded under it: namespaces, streams, caches, policy. */
  record RemoveTenant(String tenant) implements MetadataChange {
    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      Map<String, MetadataSnapshot.Tenant> tenants = new HashMap<>(s.tenants());
      tenants.remove(tenant);
      Map<String, JsonNode> policies = new HashMap<>(s.policies());
      policies.remove(tenant);
      String prefix = tenant + "/";
      return new MetadataSnapshot(
          s.version(),
          tenants,
          without(s.namespaces(), key -> key.startsWith(prefix)),
          without(s.streams(), key -> key.startsWith(prefix)),
          without(s.caches(), key -> key.startsWith(prefix)),
          policies,
          without(s.groups(), key -> key.startsWith(prefix)));
    }
  }

  /** Adds a namespace. */
  record PutNamespace(MetadataSnapshot.Namespace namespace) implements MetadataChange {
    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      Map<String, MetadataSnapshot.Namespace> namespaces = new HashMap<>(s.namespaces());
      namespaces.put(namespace.key(), namespace);
      return new MetadataSnapshot(
          s.version(), s.tenants(), namespaces, s.streams(), s.caches(), s.policies(), s.groups());
    }
  }

  /** Removes a namespace with the streams and caches recorded in it. */
  record RemoveNamespace(String tenant, String namespace) implements MetadataChange {
    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      String key = tenant + "/" + namespace;
      return new MetadataSnapshot(
          s.version(),
          s.tenants(),
          without(s.namespaces(), key::equals),
          without(s.streams(), k -> k.startsWith(key + "/")),
          without(s.caches(), k -> k.startsWith(key + "/")),
          s.policies(),
          without(s.groups(), k -> k.startsWith(key + "/")));
    }
  }

  /** Records a memory stream created through the admin API. */
  record PutStream(MetadataSnapshot.MemoryStream stream) implements MetadataChange {
    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      Map<String, MetadataSnapshot.MemoryStream> streams = new HashMap<>(s.streams());
      streams.put(stream.key(), stream);
      return new MetadataSnapshot(
          s.version(), s.tenants(), s.namespaces(), streams, s.caches(), s.policies(), s.groups());
    }
  }

  /**
   * Forgets a stream ({@code tenant/namespace/name}) and its groups' settings; a no-op for streams
   * never recorded.
   */
  record RemoveStream(String key) implements MetadataChange {
    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      return new MetadataSnapshot(
          s.version(),
          s.tenants(),
          s.namespaces(),
          without(s.streams(), key::equals),
          s.caches(),
          s.policies(),
          without(s.groups(), k -> k.startsWith(key + "/")));
    }
  }

  /** Adds or replaces a cache's settings. */
  record PutCache(MetadataSnapshot.Cache cache) implements MetadataChange {
    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      Map<String, MetadataSnapshot.Cache> caches = new HashMap<>(s.caches());
      caches.put(cache.key(), cache);
      return new MetadataSnapshot(
          s.version(), s.tenants(), s.namespaces(), s.streams(), caches, s.policies(), s.groups());
    }
  }

  /** Forgets a cache ({@code tenant/namespace/name}). */
  record RemoveCache(String key) implements MetadataChange {
    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      return new MetadataSnapshot(
          s.version(),
          s.tenants(),
          s.namespaces(),
          s.streams(),
          without(s.caches(), key::equals),
          s.policies(),
          s.groups());
    }
  }

  /** Adds or replaces a consumer group's settings. */
  record PutGroup(MetadataSnapshot.Group group) implements MetadataChange {
    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      Map<String, MetadataSnapshot.Group> groups = new HashMap<>(s.groups());
      groups.put(group.key(), group);
      return new MetadataSnapshot(
          s.version(), s.tenants(), s.namespaces(), s.streams(), s.caches(), s.policies(), groups);
    }
  }

  /** Forgets a consumer group's settings ({@code tenant/namespace/stream/group}). */
  record RemoveGroup(String key) implements MetadataChange {
    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      return new MetadataSnapshot(
          s.version(),
          s.tenants(),
          s.namespaces(),
          s.streams(),
          s.caches(),
          s.policies(),
          without(s.groups(), key::equals));
    }
  }

  /** Sets a tenant's access policy document (already validated by the caller). */
  record PutPolicy(String tenant, JsonNode document) implements MetadataChange {
    public PutPolicy {
      document = document.deepCopy();
    }

    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      Map<String, JsonNode> policies = new HashMap<>(s.policies());
      policies.put(tenant, document);
      return new MetadataSnapshot(
          s.version(), s.tenants(), s.namespaces(), s.streams(), s.caches(), policies, s.groups());
    }
  }

  /** Removes a tenant's access policy: everything in it is then denied. */
  record RemovePolicy(String tenant) implements MetadataChange {
    @Override
    public MetadataSnapshot applyTo(MetadataSnapshot s) {
      return new MetadataSnapshot(
          s.version(),
          s.tenants(),
          s.namespaces(),
          s.streams(),
          s.caches(),
          without(s.policies(), tenant::equals),
          s.groups());
    }
  }

  private static <V> Map<String, V> without(Map<String, V> map, Predicate<String> drop) {
    Map<String, V> kept = new HashMap<>(map);
    kept.keySet().removeIf(drop);
    return kept;
  }
}
