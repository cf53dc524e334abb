package dev.felix.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.felix.server.FelixServer;
import dev.felix.server.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real server in a data directory, restartable, with a small JSON client for its admin API. */
final class AdminServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> settings = new HashMap<>();
  private FelixServer server;

  AdminServer(Path dataDir, String... extraNameValuePairs) {
    settings.put("FELIX_DATA_DIR", dataDir.toString());
    settings.put("FELIX_QUIC_BIND", "127.0.0.1:0");
    settings.put("FELIX_HTTP_BIND", "127.0.0.1:0");
    settings.put("FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS", "0");
    for (int i = 0; i + 1 < extraNameValuePairs.length; i += 2) {
      settings.put(extraNameValuePairs[i], extraNameValuePairs[i + 1]);
    }
  }

  AdminServer start() throws IOException {
    server = FelixServer.start(ServerConfig.load(settings));
    return this;
  }

  AdminServer restart() throws IOException {
    server.shutdown();
    return start();
  }

  FelixServer server() {
    return server;
  }

  /** The answer; its JSON via {@link #json}. */
  HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
    }
  }
}
