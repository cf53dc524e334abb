package dev.felix.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.error.ErrorCode;
import java.nio.file.Path;
import java.util.Map;

/**
 * Access policies, one document per tenant ({@code roles}, {@code bindings}: one tenant of the
 * policy file format). Without {@code FELIX_AUTH_POLICY_FILE} they live in the metadata store and a
 * {@code PUT} or {@code DELETE} is in force for the next data-plane call; with a file, they are
 * read from it and writes are refused (409). Operations need {@code admin} on {@code *} in the
 * tenant.
 */
final class PolicyRoutes {
  private PolicyRoutes() {}

  static AdminReply list(AdminContext context, AdminRequest request) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    Path file = context.metadata().policyFile();
    body.put("source", file == null ? "api" : "file");
    if (file != null) {
      body.put("file", file.toString());
    }
    ArrayNode policies = body.putArray("policies");
    documents(context)
        .forEach(
            (tenant, document) -> {
              if (request.caller().mayAdminTenant(tenant)) {
                policies.add(json(tenant, document));
              }
            });
    return AdminReply.ok(body);
  }

  static AdminReply describe(AdminContext context, AdminRequest request) {
    String tenant = request.name("tenant");
    request.caller().requireTenant(tenant, "policy.describe");
    JsonNode document = documents(context).get(tenant);
    if (document == null) {
      throw new AdminError(404, ErrorCode.NOT_FOUND, null, "no policy for tenant " + tenant);
    }
    return AdminReply.ok(json(tenant, document));
  }

  /** Creates (201) or replaces (200) the tenant's policy; in force when this answers. */
  static AdminReply put(AdminContext context, AdminRequest request) {
    String tenant = request.name("tenant");
    Caller caller = request.caller();
    caller.requireTenant(tenant, "policy.put");
    JsonNode document = request.body();
    boolean created =
        caller.audited(
            "policy.put",
            tenant,
            tenant,
            () -> context.metadata().putPolicy(tenant, document),
            isNew -> isNew ? "created" : "replaced");
    ObjectNode body = json(tenant, document);
    return created ? AdminReply.created(body) : AdminReply.ok(body);
  }

  /** Removes the tenant's policy: everything in the tenant is then denied. */
  static AdminReply delete(AdminContext context, AdminRequest request) {
    String tenant = request.name("tenant");
    Caller caller = request.caller();
    caller.requireTenant(tenant, "policy.delete");
    caller.audited(
        "policy.delete",
        tenant,
        tenant,
        () -> {
          context.metadata().deletePolicy(tenant);
          return tenant;
        },
        deleted -> "deleted");
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("deleted", tenant);
    return AdminReply.ok(body);
  }

  private static Map<String, JsonNode> documents(AdminContext context) {
    Path file = context.metadata().policyFile();
    return file == null ? context.metadata().current().policies() : PolicyDocuments.fromFile(file);
  }

  private static ObjectNode json(String tenant, JsonNode document) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("tenant", tenant);
    if (document.isObject()) {
      node.setAll((ObjectNode) document.deepCopy());
    }
    return node;
  }
}
