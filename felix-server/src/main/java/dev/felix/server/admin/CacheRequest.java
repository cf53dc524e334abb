package dev.felix.server.admin;

import static dev.felix.server.admin.JsonFields.name;
import static dev.felix.server.admin.JsonFields.number;

import com.fasterxml.jackson.databind.JsonNode;
import dev.felix.broker.BrokerConfig;
import dev.felix.broker.CacheStorage;
import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.wire.message.CacheRef;
import java.util.Locale;
import java.util.Set;

/**
 * The bodies of {@code POST /admin/v1/caches} (create) and {@code PATCH
 * /admin/v1/caches/{tenant}/{namespace}/{name}} (change TTL defaults and value limit), validated
 * field by field. Absent fields keep the broker's cache defaults (create) or the cache's current
 * settings (update).
 */
final class CacheRequest {
  private static final Set<String> CREATE_FIELDS =
      Set.of(
          "tenant",
          "namespace",
          "name",
          "maxBytes",
          "defaultTtlMs",
          "maxTtlMs",
          "maxValueBytes",
          "storage",
          "fsync");
  private static final Set<String> UPDATE_FIELDS =
      Set.of("maxBytes", "defaultTtlMs", "maxTtlMs", "maxValueBytes");

  private CacheRequest() {}

  record Parsed(CacheRef ref, CacheStoreConfig settings, CacheStorage storage) {}

  static Parsed parseCreate(JsonNode body, BrokerConfig broker) {
    JsonFields.onlyKnown(body, CREATE_FIELDS);
    CacheRef ref =
        new CacheRef(
            name(body, "tenant", "default"),
            name(body, "namespace", "default"),
            name(body, "name", null));
    CacheStoreConfig defaults = broker.caches().defaults();
    long maxBytes =
        body.has("maxBytes")
            ? number(body, "maxBytes", 1, broker.caches().totalMaxBytes())
            : defaults.maxBytes();
    return new Parsed(ref, settings(body, maxBytes, defaults, broker), storage(body, broker));
  }

  /**
   * {@code storage}: {@code memory} or {@code durable} (default: the storage of auto-created
   * caches); {@code fsync}: {@code always|interval|never}, only for durable caches.
   */
  private static CacheStorage storage(JsonNode body, BrokerConfig broker) {
    CacheStorage base = broker.caches().storage();
    boolean durable = base.durable();
    if (body.has("storage")) {
      String kind = body.get("storage").asText("");
      if (!body.get("storage").isTextual() || !Set.of("memory", "durable").contains(kind)) {
        throw AdminError.invalid("storage", "must be \"memory\" or \"durable\"");
      }
      durable = kind.equals("durable");
    }
    FsyncPolicy fsync = base.fsync();
    if (body.has("fsync")) {
      String policy = body.get("fsync").asText("");
      if (!body.get("fsync").isTextual()
          || !Set.of("always", "interval", "never").contains(policy)) {
        throw AdminError.invalid("fsync", "must be \"always\", \"interval\" or \"never\"");
      }
      if (!durable) {
        throw AdminError.invalid("fsync", "applies to durable caches only");
      }
      fsync = FsyncPolicy.valueOf(policy.toUpperCase(Locale.ROOT));
    }
    CacheStorage storage = new CacheStorage(durable, fsync, base.fsyncIntervalMs());
    try {
      broker.validate(storage);
    } catch (IllegalArgumentException e) {
      throw AdminError.invalid("storage", e.getMessage());
    }
    return storage;
  }

  static CacheStoreConfig parseUpdate(
      JsonNode body, CacheStoreConfig current, BrokerConfig broker) {
    JsonFields.onlyKnown(body, UPDATE_FIELDS);
    if (body.has("maxBytes") && number(body, "maxBytes", 1, Long.MAX_VALUE) != current.maxBytes()) {
      throw AdminError.invalid(
          "maxBytes", "is fixed at creation (" + current.maxBytes() + "); drop and re-create");
    }
    return settings(body, current.maxBytes(), current, broker);
  }

  private static CacheStoreConfig settings(
      JsonNode body, long maxBytes, CacheStoreConfig base, BrokerConfig broker) {
    long defaultTtlMs =
        body.has("defaultTtlMs")
            ? number(body, "defaultTtlMs", 0, CacheStoreConfig.ABSOLUTE_MAX_TTL_MS)
            : base.defaultTtlMs();
    long maxTtlMs =
        body.has("maxTtlMs")
            ? number(body, "maxTtlMs", 0, CacheStoreConfig.ABSOLUTE_MAX_TTL_MS)
            : base.maxTtlMs();
    int maxValueBytes =
        body.has("maxValueBytes")
            ? (int) number(body, "maxValueBytes", 0, Integer.MAX_VALUE)
            : base.maxValueBytes();
    CacheStoreConfig settings;
    try {
      settings = new CacheStoreConfig(maxBytes, defaultTtlMs, maxTtlMs, maxValueBytes);
      broker.validate(settings);
    } catch (IllegalArgumentException e) {
      throw AdminError.invalid(fieldOf(e.getMessage()), e.getMessage());
    }
    return settings;
  }

  /** The settings' own checks say {@code cache <field> ...}; the field is that word. */
  private static String fieldOf(String message) {
    String prefix = "cache ";
    if (message != null && message.startsWith(prefix)) {
      int end = message.indexOf(' ', prefix.length());
      if (end > 0) {
        return message.substring(prefix.length(), end);
      }
    }
    return "body";
  }
}
