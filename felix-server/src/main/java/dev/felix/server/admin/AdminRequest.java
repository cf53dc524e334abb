package dev.felix.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.felix.error.ErrorCode;
import dev.felix.wire.Names;
import java.util.Map;

/**
 * One admin request after routing and authentication.
 *
 * @param params the path template's captured segments
 * @param body the JSON body, or null when the request has none
 * @param caller who is asking, with their rights
 */
record AdminRequest(Map<String, String> params, JsonNode body, Caller caller) {
  AdminRequest {
    params = Map.copyOf(params);
  }

  /**
   * A name captured from the path. An invalid name cannot exist, so it is answered like a missing
   * resource rather than as a validation error.
   */
  String name(String param) {
    String value = params.get(param);
    if (value == null || !Names.isValid(value)) {
      throw new AdminError(404, ErrorCode.NOT_FOUND, null, "no such " + param + " '" + value + "'");
    }
    return value;
  }

  /** The body, which must be a JSON object. */
  JsonNode object() {
    if (body == null || !body.isObject()) {
      throw AdminError.invalid("body", "must be a JSON object");
    }
    return body;
  }
}
