package dev.felix.server.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Consumer groups, read-only. The broker has no consumer groups yet (Subscribe with a group is
 * refused with {@code UNSUPPORTED_FEATURE}), so the list is always empty; the route exists so that
 * tools written against it keep working when groups arrive.
 */
final class GroupRoutes {
  static final String NOTE =
      "consumer groups are not implemented yet; this list stays empty until they are";

  private GroupRoutes() {}

  static AdminReply list(AdminContext context, AdminRequest request) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putArray("groups");
    body.put("note", NOTE);
    return AdminReply.ok(body);
  }
}
