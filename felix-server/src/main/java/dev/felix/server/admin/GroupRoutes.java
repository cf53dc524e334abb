package dev.felix.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.broker.GroupInfo;
import dev.felix.broker.GroupSettings;
import dev.felix.broker.QueueConfig;
import dev.felix.error.ErrorCode;
import dev.felix.wire.message.StreamRef;
import java.util.Optional;

/**
 * Consumer groups: every group the broker runs (created when a first member joins), with its
 * position per shard, counters and settings, filtered to the streams the caller may administer; and
 * per group its own settings (put, read, delete). A durable stream's group that nobody has joined
 * since a restart is not listed until a member joins again (its position is on disk meanwhile).
 */
final class GroupRoutes {
  private GroupRoutes() {}

  static AdminReply list(AdminContext context, AdminRequest request) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode groups = body.putArray("groups");
    for (GroupInfo group : context.broker().groups()) {
      StreamRef ref = group.stream();
      if (request.caller().mayAdmin(ref.tenant(), ref.namespace(), ref.stream())) {
        groups.add(of(group, context.broker().config().queues()));
      }
    }
    return AdminReply.ok(body);
  }

  /**
   * One group of one stream: running (a member joined it since the broker started), or with
   * settings of its own; 404 otherwise.
   */
  static AdminReply describe(AdminContext context, AdminRequest request) {
    StreamRef ref = ref(request);
    String name = request.name("group");
    request.caller().requireResource(ref.tenant(), ref.namespace(), ref.stream(), "group.describe");
    return AdminReply.ok(current(context, ref, name));
  }

  /** Sets the group's own settings: 201 when it had none, else 200; answers the group. */
  static AdminReply put(AdminContext context, AdminRequest request) {
    StreamRef ref = ref(request);
    String name = request.name("group");
    Caller caller = request.caller();
    caller.requireResource(ref.tenant(), ref.namespace(), ref.stream(), "group.put");
    QueueConfig queues = context.broker().config().queues();
    GroupSettings current =
        context.broker().groupSettings(ref, name).orElseGet(() -> GroupSettings.defaults(queues));
    GroupSettings settings = GroupRequest.parse(request.object(), current, ref.stream(), queues);
    boolean created =
        caller.audited(
            "group.put",
            ref.tenant(),
            ref + "/" + name,
            () -> context.metadata().putGroup(ref, name, settings),
            isNew -> settings.toString());
    ObjectNode body = current(context, ref, name);
    return created ? AdminReply.created(body) : AdminReply.ok(body);
  }

  /** Deletes the group: settings, members (ended), stored position and counters. */
  static AdminReply delete(AdminContext context, AdminRequest request) {
    StreamRef ref = ref(request);
    String name = request.name("group");
    Caller caller = request.caller();
    caller.requireResource(ref.tenant(), ref.namespace(), ref.stream(), "group.delete");
    caller.audited(
        "group.delete",
        ref.tenant(),
        ref + "/" + name,
        () -> {
          context.metadata().deleteGroup(ref, name);
          return name;
        },
        deleted -> "");
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("deleted", ref + "/" + name);
    return AdminReply.ok(body);
  }

  private static ObjectNode current(AdminContext context, StreamRef ref, String name) {
    Optional<GroupSettings> own = context.broker().groupSettings(ref, name);
    Optional<GroupInfo> running = context.broker().group(ref, name);
    if (running.isPresent()) {
      return of(running.get(), context.broker().config().queues())
          .put("ownSettings", own.isPresent());
    }
    GroupSettings settings =
        own.orElseThrow(
            () ->
                new AdminError(404, ErrorCode.NOT_FOUND, null, "no group " + name + " on " + ref));
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("tenant", ref.tenant());
    node.put("namespace", ref.namespace());
    node.put("stream", ref.stream());
    node.put("group", name);
    node.put("running", false);
    node.put("ownSettings", true);
    settings(node, settings, ref, context.broker().config().queues());
    return node;
  }

  private static void settings(
      ObjectNode node, GroupSettings settings, StreamRef ref, QueueConfig queues) {
    ObjectNode s = node.putObject("settings");
    s.put("maxDeliveries", settings.maxDeliveries());
    s.put("visibilityTimeoutMs", settings.visibilityTimeoutMs());
    s.put("deadLetterStream", settings.deadLetterStreamOf(ref.stream(), queues));
    s.put("maxInFlight", settings.maxInFlight());
  }

  private static StreamRef ref(AdminRequest request) {
    return new StreamRef(request.name("tenant"), request.name("namespace"), request.name("name"));
  }

  static ObjectNode of(GroupInfo group, QueueConfig queues) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("tenant", group.stream().tenant());
    node.put("namespace", group.stream().namespace());
    node.put("stream", group.stream().stream());
    node.put("group", group.group());
    node.put("running", true);
    node.put("members", group.members());
    node.put("durablePosition", group.durablePosition());
    node.put("lag", group.lag());
    node.put("inFlight", group.inFlight());
    node.put("awaitingJournal", group.awaitingJournal());
    node.put("acks", group.acks());
    node.put("nacks", group.nacks());
    node.put("redeliveries", group.redeliveries());
    node.put("expiredLeases", group.expiredLeases());
    node.put("deadLettered", group.deadLettered());
    node.put("staleAcks", group.staleAcks());
    node.put("lostRecords", group.lostRecords());
    node.put("windowFull", group.windowFull());
    settings(node, group.settings(), group.stream(), queues);
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
