package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.StreamRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deleting a tenant through the admin API removes its data and says how much. */
class AdminPurgeTest {
  @RegisterExtension static final EmbeddedFelix FELIX = EmbeddedFelix.withDefaults();

  @Test
  void deletingATenantPurgesItsStreamsAndCachesAndCountsThem() throws Exception {
    assertThat(call("POST", "/admin/v1/tenants", "{\"name\":\"purged\"}").statusCode())
        .isEqualTo(201);
    assertThat(
            call("POST", "/admin/v1/namespaces", "{\"tenant\":\"purged\",\"name\":\"ns\"}")
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> durable =
        call(
            "POST",
            "/admin/v1/streams",
            "{\"tenant\":\"purged\",\"namespace\":\"ns\",\"name\":\"ledger\",\"storage\":\"durable\","
                + "\"fsync\":\"always\"}");
    assertThat(durable.statusCode()).as(durable.body()).isEqualTo(201);

    FelixClient client = FELIX.connect();
    StreamRef ledger = new StreamRef("purged", "ns", "ledger");
    StreamRef auto = new StreamRef("purged", "ns", "auto-created");
    for (int i = 0; i < 5; i++) {
      client.publish(ledger, ("entry " + i).getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < 3; i++) {
      client.publish(auto, ("tick " + i).getBytes(StandardCharsets.UTF_8));
    }
    FelixCache cache = client.cache(new CacheRef("purged", "ns", "sessions"));
    cache.put("a", "1", null);
    cache.put("b", "2", null);
    assertThat(Files.isDirectory(FELIX.dataDir().resolve("streams/purged/ns/ledger"))).isTrue();

    HttpResponse<String> deleted = call("DELETE", "/admin/v1/tenants/purged", null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    JsonNode purge = new ObjectMapper().readTree(deleted.body());
    assertThat(purge.get("streamsRemoved").asLong()).isEqualTo(2);
    assertThat(purge.get("recordsRemoved").asLong()).isEqualTo(8);
    assertThat(purge.get("bytesRemoved").asLong()).isPositive();
    assertThat(purge.get("cachesRemoved").asLong()).isEqualTo(1);
    assertThat(purge.get("cacheEntriesRemoved").asLong()).isEqualTo(2);
    assertThat(purge.get("namespacesRemoved").asLong()).isEqualTo(1);

    assertThat(Files.exists(FELIX.dataDir().resolve("streams/purged/ns/ledger"))).isFalse();
    assertThat(call("GET", "/admin/v1/streams/purged/ns/auto-created", null).statusCode())
        .isEqualTo(404);
    assertThat(cache.get("a")).isEmpty();
  }

  private static HttpResponse<String> call(String method, String path, String body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + FELIX.server().httpAddress().getPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
