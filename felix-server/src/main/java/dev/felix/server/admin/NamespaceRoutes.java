package dev.felix.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.error.ErrorCode;
import dev.felix.server.metadata.MetadataSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Namespaces: create (in an existing tenant), list, describe, delete (with their streams and
 * caches). No settings, so no update. Operations need {@code admin} on {@code namespace/*}.
 */
final class NamespaceRoutes {
  private static final Set<String> FIELDS = Set.of("tenant", "name");

  private NamespaceRoutes() {}

  static AdminReply list(AdminContext context, AdminRequest request) {
    List<MetadataSnapshot.Namespace> all = new ArrayList<>();
    all.add(
        new MetadataSnapshot.Namespace(MetadataSnapshot.DEFAULT, MetadataSnapshot.DEFAULT, null));
    all.addAll(context.metadata().current().namespaces().values());
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode namespaces = body.putArray("namespaces");
    for (MetadataSnapshot.Namespace namespace : all) {
      if (request.caller().mayAdminNamespace(namespace.tenant(), namespace.name())) {
        namespaces.add(json(context, namespace));
      }
    }
    return AdminReply.ok(body);
  }

  static AdminReply create(AdminContext context, AdminRequest request) {
    JsonNode body = request.body();
    JsonFields.onlyKnown(body, FIELDS);
    String tenant = JsonFields.name(body, "tenant", MetadataSnapshot.DEFAULT);
    String name = JsonFields.name(body, "name", null);
    Caller caller = request.caller();
    caller.requireNamespace(tenant, name, "namespace.create");
    MetadataSnapshot.Namespace created =
        caller.audited(
            "namespace.create",
            tenant,
            tenant + "/" + name,
            () -> context.metadata().createNamespace(tenant, name),
            namespace -> "created");
    return AdminReply.created(json(context, created));
  }

  static AdminReply describe(AdminContext context, AdminRequest request) {
    String tenant = request.name("tenant");
    String name = request.name("namespace");
    request.caller().requireNamespace(tenant, name, "namespace.describe");
    MetadataSnapshot snapshot = context.metadata().current();
    if (!snapshot.hasNamespace(tenant, name)) {
      throw new AdminError(404, ErrorCode.NOT_FOUND, null, "no namespace " + tenant + "/" + name);
    }
    MetadataSnapshot.Namespace recorded = snapshot.namespaces().get(tenant + "/" + name);
    return AdminReply.ok(
        json(
            context,
            recorded != null ? recorded : new MetadataSnapshot.Namespace(tenant, name, null)));
  }

  /** Deletes the namespace's streams (and files) and caches; answers the counts. */
  static AdminReply delete(AdminContext context, AdminRequest request) {
    String tenant = request.name("tenant");
    String name = request.name("namespace");
    Caller caller = request.caller();
    caller.requireNamespace(tenant, name, "namespace.delete");
    Purge purge =
        caller.audited(
            "namespace.delete",
            tenant,
            tenant + "/" + name,
            () -> context.metadata().deleteNamespace(tenant, name),
            Purge::toString);
    return AdminReply.ok(purge.toJson(tenant + "/" + name));
  }

  private static ObjectNode json(AdminContext context, MetadataSnapshot.Namespace namespace) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("tenant", namespace.tenant());
    node.put("name", namespace.name());
    node.put("builtIn", namespace.createdAt() == null);
    if (namespace.createdAt() != null) {
      node.put("createdAt", namespace.createdAt());
    }
    node.put(
        "streams",
        context.broker().streams().stream()
            .filter(
                ref ->
                    ref.tenant().equals(namespace.tenant())
                        && ref.namespace().equals(namespace.name()))
            .count());
    node.put(
        "caches",
        context.broker().caches().list().stream()
            .filter(
                info ->
                    info.cache().tenant().equals(namespace.tenant())
                        && info.cache().namespace().equals(namespace.name()))
            .count());
    return node;
  }
}
