package dev.felix.server.admin;

import com.fasterxml.jackson.databind.JsonNode;

/** An admin answer: HTTP status and JSON body. */
record AdminReply(int status, JsonNode body) {
  static AdminReply ok(JsonNode body) {
    return new AdminReply(200, body);
  }

  static AdminReply created(JsonNode body) {
    return new AdminReply(201, body);
  }
}
