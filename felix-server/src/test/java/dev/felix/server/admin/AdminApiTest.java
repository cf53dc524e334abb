package dev.felix.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.felix.server.FelixServer;
import dev.felix.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's stream routes against a real server, including a restart. */
class AdminApiTest {
  @TempDir Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private FelixServer server;

  private FelixServer start() throws Exception {
    server =
        FelixServer.start(
            ServerConfig.load(
                Map.of(
                    "FELIX_DATA_DIR", dataDir.toString(),
                    "FELIX_QUIC_BIND", "127.0.0.1:0",
                    "FELIX_HTTP_BIND", "127.0.0.1:0",
                    "FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS", "0")));
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.shutdown();
    }
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + path));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void createsADurableStreamThatSurvivesARestartAndDeletesIt() throws Exception {
    start();
    assertThat(call("POST", "/admin/v1/tenants", "{\"name\":\"acme\"}").statusCode())
        .isEqualTo(201);
    assertThat(
            call("POST", "/admin/v1/namespaces", "{\"tenant\":\"acme\",\"name\":\"prod\"}")
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> created =
        call(
            "POST",
            "/admin/v1/streams",
            "{\"tenant\":\"acme\",\"namespace\":\"prod\",\"name\":\"orders\",\"shards\":2,"
                + "\"storage\":\"durable\",\"fsync\":\"always\",\"retentionMs\":86400000}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode stream = json.readTree(created.body());
    assertThat(stream.get("storage").asText()).isEqualTo("durable");
    assertThat(stream.get("fsync").asText()).isEqualTo("always");
    assertThat(stream.get("shardStats")).hasSize(2);

    assertThat(
            call(
                    "POST",
                    "/admin/v1/streams",
                    "{\"tenant\":\"acme\",\"namespace\":\"prod\",\"name\":\"orders\"}")
                .statusCode())
        .isEqualTo(409);

    server.shutdown();
    start();
    HttpResponse<String> described = call("GET", "/admin/v1/streams/acme/prod/orders", null);
    assertThat(described.statusCode()).isEqualTo(200);
    assertThat(json.readTree(described.body()).get("retentionMs").asLong()).isEqualTo(86_400_000);
    assertThat(json.readTree(call("GET", "/admin/v1/streams", null).body()).get("streams"))
        .hasSize(1);

    HttpResponse<String> deleted = call("DELETE", "/admin/v1/streams/acme/prod/orders", null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(json.readTree(deleted.body()).get("bytesRemoved").asLong()).isPositive();
    assertThat(Files.exists(dataDir.resolve("streams/acme/prod/orders"))).isFalse();
    assertThat(call("GET", "/admin/v1/streams/acme/prod/orders", null).statusCode()).isEqualTo(404);
  }

  @Test
  void validationErrorsNameTheField() throws Exception {
    start();
    assertField(call("POST", "/admin/v1/streams", "{\"name\":\"x\",\"shards\":0}"), "shards");
    assertField(
        call("POST", "/admin/v1/streams", "{\"name\":\"x\",\"fsync\":\"sometimes\"}"), "fsync");
    assertField(call("POST", "/admin/v1/streams", "{\"name\":\"../etc\"}"), "name");
    assertField(call("POST", "/admin/v1/streams", "{\"shards\":1}"), "name");
    assertField(call("POST", "/admin/v1/streams", "{\"name\":\"x\",\"colour\":\"red\"}"), "colour");
    assertField(
        call("POST", "/admin/v1/streams", "{\"name\":\"x\",\"retentionMs\":1000}"), "storage");
    assertField(call("POST", "/admin/v1/streams", "not json"), "body");
    assertThat(call("PUT", "/admin/v1/streams", "{}").statusCode()).isEqualTo(405);
    HttpResponse<String> immutable = call("PATCH", "/admin/v1/streams/default/default/x", "{}");
    assertThat(immutable.statusCode()).isEqualTo(405);
    assertThat(immutable.body()).contains("streams cannot be changed after creation");
    HttpResponse<String> noNamespace =
        call(
            "POST",
            "/admin/v1/streams",
            "{\"tenant\":\"acme\",\"namespace\":\"prod\",\"name\":\"x\"}");
    assertThat(noNamespace.statusCode()).isEqualTo(404);
    assertThat(json.readTree(noNamespace.body()).get("field").asText()).isEqualTo("namespace");
  }

  private void assertField(HttpResponse<String> response, String field) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = json.readTree(response.body());
    assertThat(error.get("error").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.get("field").asText()).isEqualTo(field);
  }
}
