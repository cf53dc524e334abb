package dev.felix.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.broker.StreamInfo;
import dev.felix.error.ErrorCode;
import dev.felix.wire.message.StreamRef;

/**
 * Streams: create (in an existing namespace), list, describe, delete. Streams are immutable: their
 * settings fix their files and shard layout, so there is no update; delete and re-create instead.
 */
final class StreamRoutes {
  private StreamRoutes() {}

  /** Every stream the caller may administer (all of them with authentication off). */
  static AdminReply list(AdminContext context, AdminRequest request) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode streams = body.putArray("streams");
    for (StreamRef ref : context.broker().streams()) {
      if (request.caller().mayAdmin(ref.tenant(), ref.namespace(), ref.stream())) {
        context.broker().stream(ref).ifPresent(info -> streams.add(StreamJson.of(info)));
      }
    }
    return AdminReply.ok(body);
  }

  static AdminReply create(AdminContext context, AdminRequest request) {
    StreamRequest.Parsed parsed =
        StreamRequest.parse(request.body(), context.broker().config().defaultStream());
    StreamRef ref = parsed.ref();
    Caller caller = request.caller();
    caller.requireResource(ref.tenant(), ref.namespace(), ref.stream(), "stream.create");
    StreamInfo created =
        caller.audited(
            "stream.create",
            ref.tenant(),
            ref.toString(),
            () -> context.metadata().createStream(ref, parsed.config()),
            info -> parsed.config().storage().toString());
    return AdminReply.created(StreamJson.of(created));
  }

  static AdminReply describe(AdminContext context, AdminRequest request) {
    StreamRef ref = ref(request);
    request
        .caller()
        .requireResource(ref.tenant(), ref.namespace(), ref.stream(), "stream.describe");
    return AdminReply.ok(
        StreamJson.of(
            context.broker().stream(ref)
                .orElseThrow(
                    () -> new AdminError(404, ErrorCode.NOT_FOUND, null, "no stream " + ref))));
  }

  /** Deletes the stream with its records; answers what was removed. */
  static AdminReply delete(AdminContext context, AdminRequest request) {
    StreamRef ref = ref(request);
    Caller caller = request.caller();
    caller.requireResource(ref.tenant(), ref.namespace(), ref.stream(), "stream.delete");
    Purge purge =
        caller.audited(
            "stream.delete",
            ref.tenant(),
            ref.toString(),
            () -> context.metadata().deleteStream(ref),
            Purge::toString);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("deleted", ref.toString());
    body.put("recordsRemoved", purge.records());
    body.put("bytesRemoved", purge.bytes());
    return AdminReply.ok(body);
  }

  private static StreamRef ref(AdminRequest request) {
    return new StreamRef(request.name("tenant"), request.name("namespace"), request.name("name"));
  }
}
