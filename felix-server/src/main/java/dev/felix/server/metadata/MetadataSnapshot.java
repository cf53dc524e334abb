package dev.felix.server.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One immutable version of the metadata. Also the embedded store's file format (JSON, one object
 * with these fields), so renaming a component is a format change.
 *
 * <p>Keys: tenants by name; namespaces by {@code tenant/namespace}; streams and caches by {@code
 * tenant/namespace/name}; policies by tenant; groups by {@code tenant/namespace/stream/group}. Maps
 * are sorted so the file is stable and diffable. Tenant {@code default} and namespace {@code
 * default/default} exist without an entry.
 *
 * @param version 0 for the empty store, one more for every applied change
 * @param tenants tenants created through the admin API
 * @param namespaces namespaces created through the admin API
 * @param streams memory streams created through the admin API (durable streams keep their own
 *     definitions next to their segments)
 * @param caches caches created through the admin API
 * @param policies per tenant, its access policy document ({@code roles}, {@code bindings}), the
 *     structure of one tenant of a policy file; read-only
 * @param groups consumer groups given their own settings through the admin API (absent in files
 *     written before groups had settings: read as none)
 */
public record MetadataSnapshot(
    long version,
    Map<String, Tenant> tenants,
    Map<String, Namespace> namespaces,
    Map<String, MemoryStream> streams,
    Map<String, Cache> caches,
    Map<String, JsonNode> policies,
    Map<String, Group> groups) {
  /** The tenant and namespace that always exist. */
  public static final String DEFAULT = "default";

  public static final MetadataSnapshot EMPTY =
      new MetadataSnapshot(0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  public MetadataSnapshot {
    tenants = sorted(tenants);
    namespaces = sorted(namespaces);
    streams = sorted(streams);
    caches = sorted(caches);
    policies = sorted(policies);
    groups = sorted(groups);
  }

  /** A tenant. */
  public record Tenant(String name, String createdAt) {}

  /** A namespace of a tenant. */
  public record Namespace(String tenant, String name, String createdAt) {
    public String key() {
      return tenant + "/" + name;
    }
  }

  /** A memory stream, re-created empty at start. */
  public record MemoryStream(
      String tenant, String namespace, String name, int shards, String backpressure) {
    public String key() {
      return tenant + "/" + namespace + "/" + name;
    }
  }

  /** A cache and its settings, re-created empty at start. */
  public record Cache(
      String tenant,
      String namespace,
      String name,
      long maxBytes,
      long defaultTtlMs,
      long maxTtlMs,
      int maxValueBytes) {
    public String key() {
      return tenant + "/" + namespace + "/" + name;
    }
  }

  /**
   * A consumer group's own settings, applied to the group when it runs.
   *
   * @param deadLetterStream null: the broker's default ({@code
   *     <stream><queues.dead_letter_suffix>})
   */
  public record Group(
      String tenant,
      String namespace,
      String stream,
      String group,
      int maxDeliveries,
      int visibilityTimeoutMs,
      String deadLetterStream,
      int maxInFlight) {
    public String key() {
      return tenant + "/" + namespace + "/" + stream + "/" + group;
    }
  }

  /** True for {@code default} and for tenants created through the admin API. */
  public boolean hasTenant(String tenant) {
    return DEFAULT.equals(tenant) || tenants.containsKey(tenant);
  }

  /** True for {@code default/default} and for namespaces created through the admin API. */
  public boolean hasNamespace(String tenant, String namespace) {
    return (DEFAULT.equals(tenant) && DEFAULT.equals(namespace))
        || namespaces.containsKey(tenant + "/" + namespace);
  }

  private static <V> SortedMap<String, V> sorted(Map<String, V> map) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(map == null ? Map.of() : map));
  }
}
