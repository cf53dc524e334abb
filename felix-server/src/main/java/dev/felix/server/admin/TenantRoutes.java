package dev.felix.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.error.ErrorCode;
import dev.felix.server.metadata.MetadataSnapshot;
import dev.felix.wire.message.StreamRef;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tenants: create, list, describe, delete (with everything in them). A tenant has no settings to
 * change, so there is no update. Every operation needs {@code admin} on {@code *} in the tenant, so
 * only a principal of that tenant can create or delete it.
 */
final class TenantRoutes {
  private static final Set<String> FIELDS = Set.of("name");

  private TenantRoutes() {}

  /**
   * The tenants the caller administers: {@code default}, those created through the API, and those
   * that only hold auto-created streams or caches ({@code "recorded": false}).
   */
  static AdminReply list(AdminContext context, AdminRequest request) {
    Set<String> names = new TreeSet<>(context.metadata().current().tenants().keySet());
    names.add(MetadataSnapshot.DEFAULT);
    context.broker().streams().forEach(ref -> names.add(ref.tenant()));
    context.broker().caches().list().forEach(info -> names.add(info.cache().tenant()));
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode tenants = body.putArray("tenants");
    for (String name : names) {
      if (request.caller().mayAdminTenant(name)) {
        tenants.add(json(context, name));
      }
    }
    return AdminReply.ok(body);
  }

  static AdminReply create(AdminContext context, AdminRequest request) {
    JsonNode body = request.body();
    JsonFields.onlyKnown(body, FIELDS);
    String tenant = JsonFields.name(body, "name", null);
    Caller caller = request.caller();
    caller.requireTenant(tenant, "tenant.create");
    caller.audited(
        "tenant.create",
        tenant,
        tenant,
        () -> context.metadata().createTenant(tenant),
        created -> "created");
    return AdminReply.created(json(context, tenant));
  }

  static AdminReply describe(AdminContext context, AdminRequest request) {
    String tenant = request.name("tenant");
    request.caller().requireTenant(tenant, "tenant.describe");
    MetadataSnapshot snapshot = context.metadata().current();
    boolean holds =
        context.broker().streams().stream().anyMatch(ref -> ref.tenant().equals(tenant))
            || context.broker().caches().list().stream()
                .anyMatch(info -> info.cache().tenant().equals(tenant));
    if (!snapshot.hasTenant(tenant) && !holds) {
      throw new AdminError(404, ErrorCode.NOT_FOUND, null, "no tenant " + tenant);
    }
    return AdminReply.ok(json(context, tenant));
  }

  /**
   * Deletes the tenant's streams (and files), caches, namespaces and policy; answers the counts.
   */
  static AdminReply delete(AdminContext context, AdminRequest request) {
    String tenant = request.name("tenant");
    Caller caller = request.caller();
    caller.requireTenant(tenant, "tenant.delete");
    Purge purge =
        caller.audited(
            "tenant.delete",
            tenant,
            tenant,
            () -> context.metadata().deleteTenant(tenant),
            Purge::toString);
    return AdminReply.ok(purge.toJson(tenant));
  }

  private static ObjectNode json(AdminContext context, String tenant) {
    MetadataSnapshot snapshot = context.metadata().current();
    MetadataSnapshot.Tenant recorded = snapshot.tenants().get(tenant);
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("name", tenant);
    node.put("builtIn", MetadataSnapshot.DEFAULT.equals(tenant));
    node.put("recorded", recorded != null);
    if (recorded != null) {
      node.put("createdAt", recorded.createdAt());
    }
    ArrayNode namespaces = node.putArray("namespaces");
    if (MetadataSnapshot.DEFAULT.equals(tenant)) {
      namespaces.add(MetadataSnapshot.DEFAULT);
    }
    snapshot.namespaces().values().stream()
        .filter(ns -> ns.tenant().equals(tenant))
        .forEach(ns -> namespaces.add(ns.name()));
    node.put(
        "streams",
        context.broker().streams().stream().map(StreamRef::tenant).filter(tenant::equals).count());
    node.put(
        "caches",
        context.broker().caches().list().stream()
            .filter(info -> info.cache().tenant().equals(tenant))
            .count());
    node.put("policy", snapshot.policies().containsKey(tenant));
    return node;
  }
}
