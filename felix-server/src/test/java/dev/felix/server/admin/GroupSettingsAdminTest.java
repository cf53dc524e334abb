package dev.felix.server.admin;

import static dev.felix.server.admin.AdminServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A consumer group's own settings through the admin API: put, read, refuse, survive, delete. */
class GroupSettingsAdminTest {
  private static final String GROUP = "/admin/v1/groups/default/default/orders/workers";

  @TempDir Path dataDir;

  private static void assertRefused(AdminServer admin, String body, String field) throws Exception {
    HttpResponse<String> response = admin.call("PUT", GROUP, body);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    assertThat(json(response).get("field").asText()).isEqualTo(field);
  }

  @Test
  void settingsAreSetCheckedKeptOverARestartAndDeletedWithTheGroup() throws Exception {
    try (AdminServer admin = new AdminServer(dataDir).start()) {
      assertThat(admin.call("PUT", GROUP, "{}").statusCode()).as("no stream yet").isEqualTo(404);
      admin.call("POST", "/admin/v1/streams", "{\"name\":\"orders\"}");

      HttpResponse<String> created =
          admin.call(
              "PUT",
              GROUP,
              "{\"maxDeliveries\":3,\"visibilityTimeoutMs\":5000,"
                  + "\"deadLetterStream\":\"orders.failed\",\"maxInFlight\":7}");
      assertThat(created.statusCode()).isEqualTo(201);
      JsonNode group = json(created);
      assertThat(group.get("running").asBoolean()).isFalse();
      assertThat(group.get("ownSettings").asBoolean()).isTrue();
      assertThat(group.at("/settings/maxDeliveries").asInt()).isEqualTo(3);
      assertThat(group.at("/settings/deadLetterStream").asText()).isEqualTo("orders.failed");

      assertRefused(admin, "{\"maxDeliveries\":0}", "maxDeliveries");
      assertRefused(admin, "{\"visibilityTimeoutMs\":\"30s\"}", "visibilityTimeoutMs");
      assertRefused(admin, "{\"maxInFlight\":1000000000}", "maxInFlight");
      assertRefused(admin, "{\"deadLetterStream\":\"orders\"}", "deadLetterStream");
      assertRefused(admin, "{\"deadLetterStream\":\"a/b\"}", "deadLetterStream");
      assertRefused(admin, "{\"retries\":2}", "retries");

      HttpResponse<String> updated = admin.call("PUT", GROUP, "{\"visibilityTimeoutMs\":1000}");
      assertThat(updated.statusCode()).isEqualTo(200);
      assertThat(json(updated).at("/settings/visibilityTimeoutMs").asInt()).isEqualTo(1000);
      assertThat(json(updated).at("/settings/maxDeliveries").asInt())
          .as("absent fields keep their value")
          .isEqualTo(3);

      admin.restart();

      JsonNode kept = json(admin.call("GET", GROUP, null));
      assertThat(kept.at("/settings/visibilityTimeoutMs").asInt()).isEqualTo(1000);
      assertThat(kept.at("/settings/maxInFlight").asInt()).isEqualTo(7);

      HttpResponse<String> reset = admin.call("PUT", GROUP, "{\"deadLetterStream\":null}");
      assertThat(json(reset).at("/settings/deadLetterStream").asText()).isEqualTo("orders.dlq");

      assertThat(admin.call("DELETE", GROUP, null).statusCode()).isEqualTo(200);
      assertThat(admin.call("GET", GROUP, null).statusCode()).isEqualTo(404);
      assertThat(admin.call("DELETE", GROUP, null).statusCode()).isEqualTo(404);

      admin.restart();
      assertThat(admin.call("GET", GROUP, null).statusCode()).as("forgotten").isEqualTo(404);
    }
  }

  @Test
  void deletingTheStreamForgetsItsGroupsSettings() throws Exception {
    try (AdminServer admin = new AdminServer(dataDir).start()) {
      admin.call("POST", "/admin/v1/streams", "{\"name\":\"orders\"}");
      assertThat(admin.call("PUT", GROUP, "{\"maxDeliveries\":2}").statusCode()).isEqualTo(201);
      assertThat(
              admin.call("DELETE", "/admin/v1/streams/default/default/orders", null).statusCode())
          .isEqualTo(200);
      admin.call("POST", "/admin/v1/streams", "{\"name\":\"orders\"}");
      assertThat(admin.call("GET", GROUP, null).statusCode()).isEqualTo(404);
      admin.restart();
      assertThat(admin.call("GET", GROUP, null).statusCode()).isEqualTo(404);
    }
  }
}
