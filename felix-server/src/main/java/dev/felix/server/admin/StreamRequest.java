package dev.felix.server.admin;

import static dev.felix.server.admin.JsonFields.name;
import static dev.felix.server.admin.JsonFields.number;
import static dev.felix.server.admin.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.felix.broker.BackPressurePolicy;
import dev.felix.broker.StreamConfig;
import dev.felix.broker.StreamStorage;
import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.wire.message.StreamRef;
import java.util.Locale;
import java.util.Set;

/**
 * The body of {@code POST /admin/v1/streams}, validated field by field: every refusal names the
 * field and says why. Absent fields take the broker's defaults for auto-created streams.
 */
final class StreamRequest {
  private static final Set<String> FIELDS =
      Set.of(
          "tenant",
          "namespace",
          "name",
          "shards",
          "storage",
          "fsync",
          "fsyncIntervalMs",
          "segmentBytes",
          "retentionMs",
          "retentionBytes",
          "backpressure");

  private StreamRequest() {}

  /** The stream and its settings, or an {@link AdminError} naming the first bad field. */
  static Parsed parse(JsonNode body, StreamConfig defaults) {
    JsonFields.onlyKnown(body, FIELDS);
    StreamRef ref =
        new StreamRef(
            name(body, "tenant", "default"),
            name(body, "namespace", "default"),
            name(body, "name", null));
    StreamConfig config = defaults;
    if (body.has("shards")) {
      config = config.withShards((int) number(body, "shards", 1, StreamConfig.MAX_SHARDS));
    }
    if (body.has("backpressure")) {
      String policy = text(body, "backpressure");
      try {
        config = config.withPolicy(BackPressurePolicy.fromConfigName(policy));
      } catch (IllegalArgumentException e) {
        throw AdminError.invalid(
            "backpressure", "must be block, drop_oldest, drop_newest or disconnect");
      }
    }
    boolean durable = config.durable();
    if (body.has("storage")) {
      String storage = text(body, "storage");
      if (!storage.equals("memory") && !storage.equals("durable")) {
        throw AdminError.invalid("storage", "must be memory or durable");
      }
      durable = storage.equals("durable");
    }
    DurableLogConfig log = config.storage().log();
    if (body.has("fsync")) {
      String fsync = text(body, "fsync");
      try {
        log = log.withFsyncPolicy(FsyncPolicy.valueOf(fsync.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw AdminError.invalid("fsync", "must be always, interval or never");
      }
    }
    if (body.has("fsyncIntervalMs")) {
      log = log.withFsyncIntervalMs(number(body, "fsyncIntervalMs", 1, 600_000));
    }
    if (body.has("segmentBytes")) {
      log =
          log.withSegmentBytes(
              number(body, "segmentBytes", 1024 * 1024, DurableLogConfig.MAX_SEGMENT_BYTES));
    }
    if (body.has("retentionMs")) {
      long ms = number(body, "retentionMs", 0, Long.MAX_VALUE / 2);
      log = log.withRetentionMs(ms == 0 ? DurableLogConfig.UNLIMITED : ms);
    }
    if (body.has("retentionBytes")) {
      long bytes = number(body, "retentionBytes", 0, Long.MAX_VALUE / 2);
      log = log.withRetentionBytes(bytes == 0 ? DurableLogConfig.UNLIMITED : bytes);
    }
    if (!durable
        && (body.has("fsync")
            || body.has("fsyncIntervalMs")
            || body.has("segmentBytes")
            || body.has("retentionMs")
            || body.has("retentionBytes"))) {
      throw AdminError.invalid(
          "storage", "fsync, segment and retention settings need storage \"durable\"");
    }
    config = config.withStorage(durable ? StreamStorage.durable(log) : StreamStorage.MEMORY);
    return new Parsed(ref, config);
  }

  record Parsed(StreamRef ref, StreamConfig config) {}
}
