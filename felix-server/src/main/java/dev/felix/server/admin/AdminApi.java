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
import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.server.http.HttpEndpoints;
import dev.felix.server.security.Action;
import dev.felix.server.security.Principal;
import dev.felix.server.security.Security;
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
  private final Security security;
  private final ObjectMapper json = new ObjectMapper();

  private AdminApi(Broker broker, Security security) {
    this.broker = broker;
    this.security = security;
  }

  /**
   * Serves the admin routes on {@code http}. With authentication on, every call needs a bearer
   * token ({@code Authorization: Bearer ...}, the same tokens as Hello) whose principal holds the
   * {@code admin} action on the stream; changes are written to the audit log either way.
   */
  public static void install(HttpEndpoints http, Broker broker, Security security) {
    http.route(STREAMS, new AdminApi(broker, security));
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
    Caller caller = authenticate(exchange);
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String rest = path.length() > STREAMS.length() ? path.substring(STREAMS.length() + 1) : "";
    if (rest.isEmpty()) {
      switch (method) {
        case "GET" -> send(exchange, 200, list(caller));
        case "POST" -> send(exchange, 201, create(caller, readBody(exchange)));
        default -> throw methodNotAllowed(method, "GET, POST");
      }
      return;
    }
    StreamRef ref = refOf(rest);
    caller.require(ref, method.equals("GET") ? "stream.describe" : "stream.delete");
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
        long bytes;
        try {
          bytes = broker.deleteStream(ref);
        } catch (FelixException e) {
          caller.audit("stream.delete", ref, "failed", e.getMessage());
          throw e;
        }
        caller.audit("stream.delete", ref, "ok", bytes + " bytes removed");
        ObjectNode body = json.createObjectNode();
        body.put("deleted", ref.toString());
        body.put("bytesRemoved", bytes);
        send(exchange, 200, body);
      }
      default -> throw methodNotAllowed(method, "GET, DELETE");
    }
  }

  /** Every stream the caller may administer (all of them with authentication off). */
  private ObjectNode list(Caller caller) {
    ObjectNode body = json.createObjectNode();
    ArrayNode streams = body.putArray("streams");
    for (StreamRef ref : broker.streams()) {
      if (caller.may(ref)) {
        broker.stream(ref).ifPresent(info -> streams.add(StreamJson.of(info)));
      }
    }
    return body;
  }

  private ObjectNode create(Caller caller, JsonNode body) {
    StreamRequest.Parsed request = StreamRequest.parse(body, broker.config().defaultStream());
    caller.require(request.ref(), "stream.create");
    StreamInfo created;
    try {
      created = broker.createStream(request.ref(), request.config());
    } catch (FelixException e) {
      caller.audit("stream.create", request.ref(), "failed", e.getMessage());
      throw e;
    }
    caller.audit("stream.create", request.ref(), "ok", request.config().storage().toString());
    LOG.info("admin: created stream {} ({})", request.ref(), request.config().storage());
    return StreamJson.of(created);
  }

  /** Who is calling: a verified principal, or nobody in particular when authentication is off. */
  private Caller authenticate(HttpExchange exchange) {
    if (!security.enabled()) {
      return new Caller(null);
    }
    String remote = String.valueOf(exchange.getRemoteAddress());
    return new Caller(
        security
            .http()
            .authenticate(exchange.getRequestHeaders().getFirst("Authorization"), remote));
  }

  /** The caller's rights and its audit trail for one request. */
  private final class Caller {
    private final Principal principal;

    Caller(Principal principal) {
      this.principal = principal;
    }

    boolean may(StreamRef ref) {
      return principal == null
          || security
              .policies()
              .current()
              .allows(principal, Action.ADMIN, ref.tenant(), ref.namespace(), ref.stream());
    }

    /** Refuses (403, audited) unless the caller holds {@code admin} on the stream. */
    void require(StreamRef ref, String operation) {
      if (!may(ref)) {
        audit(operation, ref, "denied", "needs admin");
        // The same answer whether or not the stream exists, as for data-plane denials.
        throw new AuthException(ErrorCode.PERMISSION_DENIED, "permission denied: admin on " + ref);
      }
    }

    void audit(String operation, StreamRef ref, String result, String detail) {
      security
          .audit()
          .record(
              principal == null ? "anonymous (authentication off)" : principal.name(),
              ref.tenant(),
              operation,
              ref.toString(),
              result,
              detail);
    }
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
