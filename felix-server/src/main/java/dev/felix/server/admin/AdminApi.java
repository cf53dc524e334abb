package dev.felix.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.felix.broker.Broker;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.server.http.HttpEndpoints;
import dev.felix.server.metadata.MetadataStore;
import dev.felix.server.security.Security;
import dev.felix.server.session.ServerIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API under {@code /admin/v1}: matches a request against {@link AdminRoutes#ALL},
 * authenticates it, reads its body and renders the answer or the error. The resources' logic is in
 * the {@code *Routes} classes; changes go through {@link MetadataConductor}.
 *
 * <p>Bodies are bounded ({@value #MAX_BODY_BYTES} bytes). Handlers run on the HTTP worker threads,
 * never on a transport event loop, so a change that forces files to disk blocks nobody else.
 */
public final class AdminApi implements HttpHandler {
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  private final AdminContext context;
  private final Security security;
  private final ObjectMapper json = new ObjectMapper();

  private AdminApi(AdminContext context, Security security) {
    this.context = context;
    this.security = security;
  }

  /**
   * Re-creates what the metadata store records (memory streams, caches, policies) and serves the
   * admin routes on {@code http}. With authentication on, every call needs a bearer token ({@code
   * Authorization: Bearer ...}, the same tokens as Hello); changes and denials are audited.
   *
   * @throws IllegalArgumentException when the stored access policies do not compile
   */
  public static void install(
      HttpEndpoints http,
      Broker broker,
      Security security,
      MetadataStore store,
      ServerIdentity identity) {
    MetadataConductor metadata = new MetadataConductor(broker, store, security, Clock.systemUTC());
    metadata.restore();
    String version = AdminApi.class.getPackage().getImplementationVersion();
    AdminContext context =
        new AdminContext(
            broker, metadata, identity, version == null ? "development build" : version);
    http.route(AdminRoutes.PREFIX, new AdminApi(context, security));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        AdminReply reply = dispatch(exchange);
        send(exchange, reply.status(), reply.body());
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

  private AdminReply dispatch(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = stripTrailingSlash(exchange.getRequestURI().getPath());
    List<String> allowed = new ArrayList<>();
    String matchedTemplate = null;
    for (Route route : AdminRoutes.ALL) {
      Optional<Map<String, String>> params = route.match(path);
      if (params.isEmpty()) {
        continue;
      }
      if (route.method().equals(method)) {
        Caller caller = authenticate(exchange);
        JsonNode body = hasBody(method) ? readBody(exchange) : null;
        return route.operation().handle(context, new AdminRequest(params.get(), body, caller));
      }
      allowed.add(route.method());
      matchedTemplate = route.template();
    }
    if (matchedTemplate == null) {
      throw new AdminError(404, ErrorCode.NOT_FOUND, null, "no admin route " + path);
    }
    String note = AdminRoutes.METHOD_NOTES.get(matchedTemplate);
    exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
    throw new AdminError(
        405,
        ErrorCode.UNEXPECTED_MESSAGE,
        null,
        method
            + " not allowed here ("
            + String.join(", ", allowed)
            + ")"
            + (note == null ? "" : ": " + note));
  }

  private static boolean hasBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  private static String stripTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Who is calling: a verified principal, or nobody in particular when authentication is off. */
  private Caller authenticate(HttpExchange exchange) {
    if (!security.enabled()) {
      return new Caller(null, security);
    }
    String remote = String.valueOf(exchange.getRemoteAddress());
    return new Caller(
        security
            .http()
            .authenticate(exchange.getRequestHeaders().getFirst("Authorization"), remote),
        security);
  }

  private JsonNode readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw new AdminError(
            413, ErrorCode.MESSAGE_TOO_LARGE, "body", "body larger than " + MAX_BODY_BYTES);
      }
      if (bytes.length == 0) {
        return null;
      }
      try {
        return json.readTree(bytes);
      } catch (JsonProcessingException e) {
        throw AdminError.invalid("body", "not valid JSON: " + e.getOriginalMessage());
      }
    }
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
