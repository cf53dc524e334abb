package dev.felix.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.felix.broker.Broker;
import dev.felix.broker.StreamInfo;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.server.http.HttpEndpoints;
import dev.felix.wire.message.StreamRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's stream routes:
 *
 * <ul>
 *   <li>{@code POST /admin/v1/streams}: create (201 with the stream; 400 naming the bad field; 409
 *       when it exists; 429 at the stream limit)
 *   <li>{@code GET /admin/v1/streams}: list
 *   <li>{@code GET /admin/v1/streams/TENANT/NAMESPACE/NAME}: describe (404 when absent)
 *   <li>{@code DELETE /admin/v1/streams/TENANT/NAMESPACE/NAME}: delete, with its files
 * </ul>
 *
 * <p>Bodies are bounded ({@value #MAX_BODY_BYTES} bytes). Handlers run on the HTTP worker threads,
 * never on a transport event loop, so creating a durable stream (which writes and forces its
 * definition) blocks nobody else.
 */
public final class AdminApi implements HttpHandler {
  static final String STREAMS = "/admin/v1/streams";
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  private final Broker broker;
  private final ObjectMapper json = new ObjectMapper();

  private AdminApi(Broker broker) {
    this.broker = broker;
  }

  /** Serves the admin routes on {@code http}. */
  public static void install(HttpEndpoints http, Broker broker) {
    http.route(STREAMS, new AdminApi(broker));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (AdminError e) {
        send(exchange, e.status, error(e.code, e.field, e.getMessage()));
      } catch (FelixException e) {
        AdminError mapped = AdminError.of(e);
        send(exchange, mapped.status, error(e.code(), null, e.getMessage()));
      } catch (IllegalArgumentException e) {
        send(exchange, 400, error(ErrorCode.INVALID_ARGUMENT, null, e.getMessage()));
      } catch (RuntimeException e) {
        LOG.warn(
            "admin request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        send(exchange, 500, error(ErrorCode.INTERNAL, null, "internal error: " + e));
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String rest = path.length() > STREAMS.length() ? path.substring(STREAMS.length() + 1) : "";
    if (rest.isEmpty()) {
      switch (method) {
        case "GET" -> send(exchange, 200, list());
        case "POST" -> send(exchange, 201, create(readBody(exchange)));
        default -> throw methodNotAllowed(method, "GET, POST");
      }
      return;
    }
    StreamRef ref = refOf(rest);
    switch (method) {
      case "GET" ->
          send(
              exchange,
              200,
              StreamJson.of(
                  broker.stream(ref)
                      .orElseThrow(
                          () ->
                              new AdminError(404, ErrorCode.NOT_FOUND, null, "no stream " + ref))));
      case "DELETE" -> {
        long bytes = broker.deleteStream(ref);
        ObjectNode body = json.createObjectNode();
        body.put("deleted", ref.toString());
        body.put("bytesRemoved", bytes);
        send(exchange, 200, body);
      }
      default -> throw methodNotAllowed(method, "GET, DELETE");
    }
  }

  private ObjectNode list() {
    ObjectNode body = json.createObjectNode();
    ArrayNode streams = body.putArray("streams");
    for (StreamRef ref : broker.streams()) {
      broker.stream(ref).ifPresent(info -> streams.add(StreamJson.of(info)));
    }
    return body;
  }

  private ObjectNode create(JsonNode body) {
    StreamRequest.Parsed request = StreamRequest.parse(body, broker.config().defaultStream());
    StreamInfo created = broker.createStream(request.ref(), request.config());
    LOG.info("admin: created stream {} ({})", request.ref(), request.config().storage());
    return StreamJson.of(created);
  }

  private static StreamRef refOf(String rest) {
    List<String> parts = List.of(rest.split("/", -1));
    if (parts.size() != 3) {
      throw new AdminError(
          404, ErrorCode.NOT_FOUND, null, "expected " + STREAMS + "/TENANT/NAMESPACE/NAME");
    }
    try {
      return new StreamRef(parts.get(0), parts.get(1), parts.get(2));
    } catch (RuntimeException e) {
      throw new AdminError(404, ErrorCode.NOT_FOUND, null, "no stream " + rest);
    }
  }

  private JsonNode readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw new AdminError(
            413, ErrorCode.MESSAGE_TOO_LARGE, "body", "body larger than " + MAX_BODY_BYTES);
      }
      try {
        return json.readTree(bytes);
      } catch (JsonProcessingException e) {
        throw AdminError.invalid("body", "not valid JSON: " + e.getOriginalMessage());
      }
    }
  }

  private static AdminError methodNotAllowed(String method, String allowed) {
    return new AdminError(
        405, ErrorCode.UNEXPECTED_MESSAGE, null, method + " not allowed here (" + allowed + ")");
  }

  private ObjectNode error(ErrorCode code, String field, String message) {
    ObjectNode body = json.createObjectNode();
    body.put("error", code.name());
    body.put("code", code.code());
    if (field != null) {
      body.put("field", field);
    }
    body.put("message", message);
    return body;
  }

  private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
