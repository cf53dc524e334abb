package dev.felix.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.broker.CacheInfo;
import dev.felix.error.ErrorCode;
import dev.felix.wire.message.CacheRef;
import java.util.Comparator;
import java.util.List;

/**
 * Caches: create (in an existing namespace), list, describe, update the TTL defaults and value
 * limit, delete with their entries.
 */
final class CacheRoutes {
  private CacheRoutes() {}

  static AdminReply list(AdminContext context, AdminRequest request) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode caches = body.putArray("caches");
    List<CacheInfo> all = context.broker().caches().list();
    all.sort(Comparator.comparing(info -> info.cache().toString()));
    for (CacheInfo info : all) {
      CacheRef ref = info.cache();
      if (request.caller().mayAdmin(ref.tenant(), ref.namespace(), ref.cache())) {
        caches.add(CacheJson.of(info));
      }
    }
    return AdminReply.ok(body);
  }

  static AdminReply create(AdminContext context, AdminRequest request) {
    CacheRequest.Parsed parsed =
        CacheRequest.parseCreate(request.body(), context.broker().config());
    CacheRef ref = parsed.ref();
    Caller caller = request.caller();
    caller.requireResource(ref.tenant(), ref.namespace(), ref.cache(), "cache.create");
    CacheInfo created =
        caller.audited(
            "cache.create",
            ref.tenant(),
            ref.toString(),
            () -> context.metadata().createCache(ref, parsed.settings(), parsed.storage()),
            info -> info.config() + " " + info.storage());
    return AdminReply.created(CacheJson.of(created));
  }

  static AdminReply describe(AdminContext context, AdminRequest request) {
    CacheRef ref = ref(request);
    request.caller().requireResource(ref.tenant(), ref.namespace(), ref.cache(), "cache.describe");
    return AdminReply.ok(CacheJson.of(find(context, ref)));
  }

  static AdminReply update(AdminContext context, AdminRequest request) {
    CacheRef ref = ref(request);
    Caller caller = request.caller();
    caller.requireResource(ref.tenant(), ref.namespace(), ref.cache(), "cache.update");
    CacheInfo current = find(context, ref);
    var settings =
        CacheRequest.parseUpdate(request.object(), current.config(), context.broker().config());
    CacheInfo updated =
        caller.audited(
            "cache.update",
            ref.tenant(),
            ref.toString(),
            () -> context.metadata().updateCache(ref, settings),
            info -> info.config().toString());
    return AdminReply.ok(CacheJson.of(updated));
  }

  /** Drops the cache and its entries; answers how many entries it held. */
  static AdminReply delete(AdminContext context, AdminRequest request) {
    CacheRef ref = ref(request);
    Caller caller = request.caller();
    caller.requireResource(ref.tenant(), ref.namespace(), ref.cache(), "cache.delete");
    Purge purge =
        caller.audited(
            "cache.delete",
            ref.tenant(),
            ref.toString(),
            () -> context.metadata().deleteCache(ref),
            Purge::toString);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("deleted", ref.toString());
    body.put("entriesRemoved", purge.cacheEntries());
    return AdminReply.ok(body);
  }

  private static CacheInfo find(AdminContext context, CacheRef ref) {
    return context
        .broker()
        .caches()
        .describe(ref)
        .orElseThrow(() -> new AdminError(404, ErrorCode.NOT_FOUND, null, "no cache " + ref));
  }

  private static CacheRef ref(AdminRequest request) {
    return new CacheRef(request.name("tenant"), request.name("namespace"), request.name("name"));
  }
}
