package dev.felix.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.broker.CursorInfo;
import dev.felix.error.ErrorCode;
import dev.felix.wire.message.StreamRef;

/**
 * Named subscription cursors of one stream: list them with position and lag per shard, or delete
 * (reset) one so that its next subscription starts at the subscription's requested start. A cursor
 * is created by its first commit over the data plane, never here.
 */
final class CursorRoutes {
  private CursorRoutes() {}

  static AdminReply list(AdminContext context, AdminRequest request) {
    StreamRef ref = ref(request);
    request.caller().requireResource(ref.tenant(), ref.namespace(), ref.stream(), "cursor.list");
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode cursors = body.putArray("cursors");
    for (CursorInfo cursor : context.broker().cursors(ref)) {
      cursors.add(of(cursor));
    }
    return AdminReply.ok(body);
  }

  static AdminReply delete(AdminContext context, AdminRequest request) {
    StreamRef ref = ref(request);
    String name = request.name("cursor");
    Caller caller = request.caller();
    caller.requireResource(ref.tenant(), ref.namespace(), ref.stream(), "cursor.delete");
    boolean deleted =
        caller.audited(
            "cursor.delete",
            ref.tenant(),
            ref + "/" + name,
            () -> context.broker().deleteCursor(ref, name),
            existed -> existed ? "deleted" : "no such cursor");
    if (!deleted) {
      throw new AdminError(404, ErrorCode.NOT_FOUND, null, "no cursor " + name + " on " + ref);
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("deleted", name);
    body.put("stream", ref.toString());
    return AdminReply.ok(body);
  }

  static ObjectNode of(CursorInfo cursor) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("name", cursor.name());
    node.put("durable", cursor.durable());
    node.put("lag", cursor.lag());
    ArrayNode shards = node.putArray("shards");
    for (CursorInfo.Shard shard : cursor.shards()) {
      ObjectNode s = shards.addObject();
      s.put("shard", shard.shard());
      s.put("position", shard.position());
      s.put("lag", shard.lag());
    }
    return node;
  }

  private static StreamRef ref(AdminRequest request) {
    return new StreamRef(request.name("tenant"), request.name("namespace"), request.name("name"));
  }
}
