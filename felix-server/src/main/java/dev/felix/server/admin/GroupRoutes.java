package dev.felix.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.broker.GroupInfo;
import dev.felix.error.ErrorCode;
import dev.felix.wire.message.StreamRef;

/**
 * Consumer groups, read-only: every group the broker holds (created when a first member joins),
 * with its position per shard and its counters, filtered to the streams the caller may administer.
 * A durable stream's group that nobody has joined since a restart is not listed until a member
 * joins again (its position is on disk meanwhile).
 */
final class GroupRoutes {
  private GroupRoutes() {}

  static AdminReply list(AdminContext context, AdminRequest request) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode groups = body.putArray("groups");
    for (GroupInfo group : context.broker().groups()) {
      StreamRef ref = group.stream();
      if (request.caller().mayAdmin(ref.tenant(), ref.namespace(), ref.stream())) {
        groups.add(of(group));
      }
    }
    return AdminReply.ok(body);
  }

  /** One group of one stream; 404 when no member ever joined it since the broker started. */
  static AdminReply describe(AdminContext context, AdminRequest request) {
    StreamRef ref =
        new StreamRef(request.name("tenant"), request.name("namespace"), request.name("name"));
    String name = request.name("group");
    request.caller().requireResource(ref.tenant(), ref.namespace(), ref.stream(), "group.describe");
    return AdminReply.ok(
        of(
            context
                .broker()
                .group(ref, name)
                .orElseThrow(
                    () ->
                        new AdminError(
                            404, ErrorCode.NOT_FOUND, null, "no group " + name + " on " + ref))));
  }

  static ObjectNode of(GroupInfo group) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("tenant", group.stream().tenant());
    node.put("namespace", group.stream().namespace());
    node.put("stream", group.stream().stream());
    node.put("group", group.group());
    node.put("members", group.members());
    node.put("durablePosition", group.durablePosition());
    node.put("lag", group.lag());
    node.put("inFlight", group.inFlight());
    node.put("acks", group.acks());
    node.put("nacks", group.nacks());
    node.put("redeliveries", group.redeliveries());
    node.put("expiredLeases", group.expiredLeases());
    node.put("deadLettered", group.deadLettered());
    node.put("staleAcks", group.staleAcks());
    node.put("lostRecords", group.lostRecords());
    node.put("windowFull", group.windowFull());
    ArrayNode shards = node.putArray("shards");
    for (GroupInfo.ShardPosition shard : group.shards()) {
      ObjectNode s = shards.addObject();
      s.put("shard", shard.shard());
      s.put("committed", shard.committed());
      s.put("next", shard.next());
      s.put("end", shard.end());
      s.put("lag", shard.lag());
    }
    return node;
  }
}
