package dev.felix.server.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.wire.ProtocolVersion;

/**
 * What this broker is: region, server id, versions, and the metadata store's state. Any
 * authenticated caller may read it (nothing in it belongs to a tenant).
 */
final class ClusterRoutes {
  private ClusterRoutes() {}

  static AdminReply describe(AdminContext context, AdminRequest request) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("region", context.identity().region());
    body.put("serverId", context.identity().serverId());
    body.put("version", context.version());
    body.put("protocolVersion", ProtocolVersion.CURRENT);
    body.put("metadataStore", "embedded");
    body.put("metadataVersion", context.metadata().current().version());
    body.put("policySource", context.metadata().policyFile() == null ? "api" : "file");
    return AdminReply.ok(body);
  }
}
