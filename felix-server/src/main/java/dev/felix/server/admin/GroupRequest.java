package dev.felix.server.admin;

import static dev.felix.server.admin.JsonFields.name;
import static dev.felix.server.admin.JsonFields.number;

import com.fasterxml.jackson.databind.JsonNode;
import dev.felix.broker.GroupSettings;
import dev.felix.broker.QueueConfig;
import java.util.Set;

/**
 * The body of {@code PUT /admin/v1/groups/{tenant}/{namespace}/{name}/{group}}, validated field by
 * field against the broker's queue limits. Absent fields keep the group's current settings (its
 * own, or the broker-wide values for a group without them); {@code "deadLetterStream": null} goes
 * back to the default {@code <stream><queues.dead_letter_suffix>}.
 */
final class GroupRequest {
  static final Set<String> FIELDS =
      Set.of("maxDeliveries", "visibilityTimeoutMs", "deadLetterStream", "maxInFlight");

  /** Far beyond any sensible lease; keeps deadline arithmetic far from overflow. */
  static final long MAX_VISIBILITY_TIMEOUT_MS = 24L * 3600 * 1000;

  /** Far beyond any sensible retry count. */
  static final long MAX_DELIVERIES = 1_000_000;

  private GroupRequest() {}

  static GroupSettings parse(
      JsonNode body, GroupSettings current, String stream, QueueConfig config) {
    JsonFields.onlyKnown(body, FIELDS);
    int maxDeliveries =
        body.has("maxDeliveries")
            ? (int) number(body, "maxDeliveries", 1, MAX_DELIVERIES)
            : current.maxDeliveries();
    int visibilityTimeoutMs =
        body.has("visibilityTimeoutMs")
            ? (int) number(body, "visibilityTimeoutMs", 1, MAX_VISIBILITY_TIMEOUT_MS)
            : current.visibilityTimeoutMs();
    int maxInFlight =
        body.has("maxInFlight")
            ? (int) number(body, "maxInFlight", 1, config.maxInFlight())
            : current.maxInFlight();
    String deadLetterStream = current.deadLetterStream();
    if (body.has("deadLetterStream")) {
      deadLetterStream =
          body.get("deadLetterStream").isNull() ? null : name(body, "deadLetterStream", null);
    }
    if (stream.equals(deadLetterStream)) {
      throw AdminError.invalid("deadLetterStream", "must differ from the group's stream " + stream);
    }
    return new GroupSettings(maxDeliveries, visibilityTimeoutMs, deadLetterStream, maxInFlight);
  }
}
