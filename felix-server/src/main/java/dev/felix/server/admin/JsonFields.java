package dev.felix.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.felix.wire.Names;
import java.util.Iterator;
import java.util.Set;

/** Field checks shared by the request parsers; every refusal names the field and says why. */
final class JsonFields {
  private JsonFields() {}

  /** Refuses a body that is not an object or has a field outside {@code known}. */
  static void onlyKnown(JsonNode body, Set<String> known) {
    if (body == null || !body.isObject()) {
      throw AdminError.invalid("body", "must be a JSON object");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!known.contains(field)) {
        throw AdminError.invalid(field, "unknown field (known: " + known + ")");
      }
    }
  }

  /** A resource name; {@code fallback} when absent, or required when the fallback is null. */
  static String name(JsonNode body, String field, String fallback) {
    if (!body.has(field)) {
      if (fallback == null) {
        throw AdminError.invalid(field, "is required");
      }
      return fallback;
    }
    String value = text(body, field);
    if (!Names.isValid(value)) {
      throw AdminError.invalid(
          field,
          "must be 1-128 characters of [A-Za-z0-9._-], not '.' or '..', was '" + value + "'");
    }
    return value;
  }

  static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (!node.isTextual()) {
      throw AdminError.invalid(field, "must be a string");
    }
    return node.asText();
  }

  static long number(JsonNode body, String field, long min, long max) {
    JsonNode node = body.get(field);
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw AdminError.invalid(field, "must be an integer");
    }
    long value = node.asLong();
    if (value < min || value > max) {
      throw AdminError.invalid(field, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }
}
