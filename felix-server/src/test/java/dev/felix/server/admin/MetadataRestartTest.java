package dev.felix.server.admin;

import static dev.felix.server.admin.AdminServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the admin API creates is still there after a restart, and a tenant delete forgets it. */
class MetadataRestartTest {
  @TempDir Path dataDir;

  @Test
  void tenantsNamespacesCachesPoliciesAndMemoryStreamsSurviveARestart() throws Exception {
    try (AdminServer admin = new AdminServer(dataDir).start()) {
      admin.call("POST", "/admin/v1/tenants", "{\"name\":\"acme\"}");
      admin.call("POST", "/admin/v1/namespaces", "{\"tenant\":\"acme\",\"name\":\"prod\"}");
      assertThat(
              admin
                  .call(
                      "POST",
                      "/admin/v1/streams",
                      "{\"tenant\":\"acme\",\"namespace\":\"prod\",\"name\":\"ticks\","
                          + "\"shards\":3,\"backpressure\":\"drop_oldest\"}")
                  .statusCode())
          .isEqualTo(201);
      assertThat(
              admin
                  .call(
                      "POST",
                      "/admin/v1/caches",
                      "{\"tenant\":\"acme\",\"namespace\":\"prod\",\"name\":\"sessions\","
                          + "\"defaultTtlMs\":30000}")
                  .statusCode())
          .isEqualTo(201);
      assertThat(
              admin
                  .call(
                      "PUT",
                      "/admin/v1/policies/acme",
                      "{\"roles\":{\"r\":[{\"actions\":[\"cache.read\"],\"resources\":[\"*\"]}]}}")
                  .statusCode())
          .isEqualTo(201);
      assertThat(
              Files.exists(
                  dataDir
                      .resolve("metadata")
                      .resolve(dev.felix.server.metadata.EmbeddedMetadataStore.FILE)))
          .isTrue();

      admin.restart();

      assertThat(admin.call("GET", "/admin/v1/tenants/acme", null).statusCode()).isEqualTo(200);
      assertThat(admin.call("GET", "/admin/v1/namespaces/acme/prod", null).statusCode())
          .isEqualTo(200);
      JsonNode stream = json(admin.call("GET", "/admin/v1/streams/acme/prod/ticks", null));
      assertThat(stream.get("shards").asInt()).isEqualTo(3);
      assertThat(stream.get("backpressure").asText()).isEqualTo("drop_oldest");
      assertThat(stream.get("storage").asText()).isEqualTo("memory");
      JsonNode cache = json(admin.call("GET", "/admin/v1/caches/acme/prod/sessions", null));
      assertThat(cache.get("defaultTtlMs").asLong()).isEqualTo(30_000);
      assertThat(
              json(admin.call("GET", "/admin/v1/policies/acme", null))
                  .at("/roles/r/0/actions/0")
                  .asText())
          .isEqualTo("cache.read");
      assertThat(json(admin.call("GET", "/admin/v1/cluster", null)).get("metadataVersion").asLong())
          .isEqualTo(5);

      JsonNode purge = json(admin.call("DELETE", "/admin/v1/tenants/acme", null));
      assertThat(purge.get("streamsRemoved").asLong()).isEqualTo(1);
      assertThat(purge.get("cachesRemoved").asLong()).isEqualTo(1);
      assertThat(purge.get("namespacesRemoved").asLong()).isEqualTo(1);
      assertThat(purge.get("policiesRemoved").asLong()).isEqualTo(1);

      admin.restart();

      assertThat(admin.call("GET", "/admin/v1/tenants/acme", null).statusCode()).isEqualTo(404);
      assertThat(admin.call("GET", "/admin/v1/streams/acme/prod/ticks", null).statusCode())
          .isEqualTo(404);
      assertThat(admin.call("GET", "/admin/v1/caches/acme/prod/sessions", null).statusCode())
          .isEqualTo(404);
      assertThat(admin.call("GET", "/admin/v1/policies/acme", null).statusCode()).isEqualTo(404);
    }
  }
}
