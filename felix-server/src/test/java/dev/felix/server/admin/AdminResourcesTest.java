package dev.felix.server.admin;

import static dev.felix.server.admin.AdminServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tenants, namespaces, caches, policies, groups and cluster through the admin API. */
class AdminResourcesTest {
  @TempDir Path dataDir;
  private AdminServer admin;

  @AfterEach
  void stop() {
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void tenantsAndNamespacesRoundTrip() throws Exception {
    admin = new AdminServer(dataDir).start();
    assertThat(admin.call("POST", "/admin/v1/tenants", "{\"name\":\"acme\"}").statusCode())
        .isEqualTo(201);
    assertThat(admin.call("POST", "/admin/v1/tenants", "{\"name\":\"acme\"}").statusCode())
        .isEqualTo(409);
    JsonNode tenants = json(admin.call("GET", "/admin/v1/tenants", null)).get("tenants");
    assertThat(tenants.findValuesAsText("name")).containsExactly("acme", "default");

    HttpResponse<String> ns =
        admin.call("POST", "/admin/v1/namespaces", "{\"tenant\":\"acme\",\"name\":\"prod\"}");
    assertThat(ns.statusCode()).as(ns.body()).isEqualTo(201);
    assertThat(json(ns).get("createdAt").asText()).isNotEmpty();
    assertThat(admin.call("GET", "/admin/v1/namespaces/acme/prod", null).statusCode())
        .isEqualTo(200);
    assertThat(admin.call("GET", "/admin/v1/namespaces/default/default", null).statusCode())
        .as("default/default always exists")
        .isEqualTo(200);
    assertThat(json(admin.call("GET", "/admin/v1/tenants/acme", null)).get("namespaces"))
        .hasSize(1);
    assertThat(admin.call("PUT", "/admin/v1/tenants/acme", "{}").statusCode()).isEqualTo(405);

    JsonNode deleted = json(admin.call("DELETE", "/admin/v1/namespaces/acme/prod", null));
    assertThat(deleted.get("namespacesRemoved").asLong()).isEqualTo(1);
    assertThat(admin.call("GET", "/admin/v1/namespaces/acme/prod", null).statusCode())
        .isEqualTo(404);
    assertThat(admin.call("DELETE", "/admin/v1/tenants/default", null).statusCode()).isEqualTo(409);
    assertThat(admin.call("DELETE", "/admin/v1/tenants/acme", null).statusCode()).isEqualTo(200);
    assertThat(admin.call("GET", "/admin/v1/tenants/acme", null).statusCode()).isEqualTo(404);
  }

  @Test
  void tenantAndNamespaceValidationNamesTheField() throws Exception {
    admin = new AdminServer(dataDir).start();
    assertField(admin.call("POST", "/admin/v1/tenants", "{}"), "name");
    assertField(admin.call("POST", "/admin/v1/tenants", "{\"name\":\"a/b\"}"), "name");
    assertField(admin.call("POST", "/admin/v1/tenants", "{\"name\":\"a\",\"x\":1}"), "x");
    assertField(admin.call("POST", "/admin/v1/namespaces", "{\"tenant\":\"acme\"}"), "name");
    HttpResponse<String> noTenant =
        admin.call("POST", "/admin/v1/namespaces", "{\"tenant\":\"nope\",\"name\":\"prod\"}");
    assertThat(noTenant.statusCode()).isEqualTo(404);
    assertThat(json(noTenant).get("field").asText()).isEqualTo("tenant");
  }

  @Test
  void cachesRoundTripWithTtlUpdates() throws Exception {
    admin = new AdminServer(dataDir).start();
    HttpResponse<String> created =
        admin.call(
            "POST",
            "/admin/v1/caches",
            "{\"name\":\"sessions\",\"maxBytes\":1048576,\"defaultTtlMs\":60000,"
                + "\"maxTtlMs\":3600000,\"maxValueBytes\":4096}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(json(created).get("tenant").asText()).isEqualTo("default");
    assertThat(json(created).get("defaultTtlMs").asLong()).isEqualTo(60_000);
    assertThat(admin.call("POST", "/admin/v1/caches", "{\"name\":\"sessions\"}").statusCode())
        .isEqualTo(409);

    String path = "/admin/v1/caches/default/default/sessions";
    HttpResponse<String> updated =
        admin.call("PATCH", path, "{\"defaultTtlMs\":120000,\"maxValueBytes\":8192}");
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    JsonNode described = json(admin.call("GET", path, null));
    assertThat(described.get("defaultTtlMs").asLong()).isEqualTo(120_000);
    assertThat(described.get("maxValueBytes").asLong()).isEqualTo(8192);
    assertThat(described.get("maxTtlMs").asLong()).isEqualTo(3_600_000);
    assertThat(json(admin.call("GET", "/admin/v1/caches", null)).get("caches")).hasSize(1);

    JsonNode deleted = json(admin.call("DELETE", path, null));
    assertThat(deleted.get("entriesRemoved").asLong()).isZero();
    assertThat(admin.call("GET", path, null).statusCode()).isEqualTo(404);
    assertThat(admin.call("PATCH", path, "{\"defaultTtlMs\":1}").statusCode()).isEqualTo(404);
  }

  @Test
  void cacheValidationNamesTheField() throws Exception {
    admin = new AdminServer(dataDir).start();
    assertField(admin.call("POST", "/admin/v1/caches", "{\"maxBytes\":1024}"), "name");
    assertField(
        admin.call("POST", "/admin/v1/caches", "{\"name\":\"c\",\"maxBytes\":0}"), "maxBytes");
    assertField(
        admin.call("POST", "/admin/v1/caches", "{\"name\":\"c\",\"defaultTtlMs\":-1}"),
        "defaultTtlMs");
    assertField(
        admin.call(
            "POST", "/admin/v1/caches", "{\"name\":\"c\",\"maxTtlMs\":1000,\"defaultTtlMs\":5000}"),
        "defaultTtlMs");
    assertField(
        admin.call("POST", "/admin/v1/caches", "{\"name\":\"c\",\"maxValueBytes\":\"big\"}"),
        "maxValueBytes");
    assertField(
        admin.call("POST", "/admin/v1/caches", "{\"name\":\"c\",\"maxValueBytes\":2000000000}"),
        "maxValueBytes");
    assertThat(admin.call("POST", "/admin/v1/caches", "{\"name\":\"c\"}").statusCode())
        .isEqualTo(201);
    assertField(
        admin.call("PATCH", "/admin/v1/caches/default/default/c", "{\"maxBytes\":2097152}"),
        "maxBytes");
    HttpResponse<String> noNamespace =
        admin.call(
            "POST", "/admin/v1/caches", "{\"tenant\":\"t\",\"namespace\":\"n\",\"name\":\"c\"}");
    assertThat(noNamespace.statusCode()).isEqualTo(404);
    assertThat(json(noNamespace).get("field").asText()).isEqualTo("namespace");
  }

  @Test
  void policiesRoundTripAndNameTheFieldAtFault() throws Exception {
    admin = new AdminServer(dataDir).start();
    String policy =
        "{\"roles\":{\"writer\":[{\"actions\":[\"stream.publish\"],\"resources\":[\"orders/*\"]}]},"
            + "\"bindings\":[{\"role\":\"writer\",\"principals\":[\"svc\"]}]}";
    HttpResponse<String> put = admin.call("PUT", "/admin/v1/policies/acme", policy);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(admin.call("PUT", "/admin/v1/policies/acme", policy).statusCode()).isEqualTo(200);
    JsonNode described = json(admin.call("GET", "/admin/v1/policies/acme", null));
    assertThat(described.at("/roles/writer/0/resources/0").asText()).isEqualTo("orders/*");
    JsonNode list = json(admin.call("GET", "/admin/v1/policies", null));
    assertThat(list.get("source").asText()).isEqualTo("api");
    assertThat(list.get("policies")).hasSize(1);

    assertField(
        admin.call(
            "PUT",
            "/admin/v1/policies/acme",
            "{\"roles\":{\"w\":[{\"actions\":[\"fly\"],\"resources\":[\"*\"]}]}}"),
        "roles.w[0].actions");
    assertField(admin.call("PUT", "/admin/v1/policies/acme", "{\"rules\":{}}"), "body");
    assertField(
        admin.call("PUT", "/admin/v1/policies/acme", "{\"bindings\":[{\"role\":\"ghost\"}]}"),
        "bindings[0].role");

    assertThat(admin.call("DELETE", "/admin/v1/policies/acme", null).statusCode()).isEqualTo(200);
    assertThat(admin.call("GET", "/admin/v1/policies/acme", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aPolicyFileOwnsThePoliciesAndTheApiRefusesWrites() throws Exception {
    Path file = dataDir.resolve("policy.yaml");
    Files.writeString(
        file,
        """
        tenants:
          acme:
            roles:
              ops:
                - actions: [admin]
                  resources: ["*"]
        """);
    admin =
        new AdminServer(dataDir.resolve("data"), "FELIX_AUTH_POLICY_FILE", file.toString()).start();
    HttpResponse<String> put = admin.call("PUT", "/admin/v1/policies/acme", "{}");
    assertThat(put.statusCode()).isEqualTo(409);
    assertThat(put.body()).contains("managed by the policy file");
    assertThat(admin.call("DELETE", "/admin/v1/policies/acme", null).statusCode()).isEqualTo(409);
    JsonNode described = json(admin.call("GET", "/admin/v1/policies/acme", null));
    assertThat(described.at("/roles/ops/0/actions/0").asText()).isEqualTo("admin");
    assertThat(json(admin.call("GET", "/admin/v1/policies", null)).get("source").asText())
        .isEqualTo("file");
  }

  @Test
  void groupsAreEmptyWithoutMembersAndClusterNamesTheBroker() throws Exception {
    admin =
        new AdminServer(dataDir, "FELIX_REGION", "eu-west", "FELIX_SERVER_ID", "felix-7").start();
    JsonNode groups = json(admin.call("GET", "/admin/v1/groups", null));
    assertThat(groups.get("groups")).isEmpty();
    JsonNode cluster = json(admin.call("GET", "/admin/v1/cluster", null));
    assertThat(cluster.get("region").asText()).isEqualTo("eu-west");
    assertThat(cluster.get("serverId").asText()).isEqualTo("felix-7");
    assertThat(cluster.get("version").asText()).isNotEmpty();
    assertThat(admin.call("GET", "/admin/v1/nothing", null).statusCode()).isEqualTo(404);
  }

  private static void assertField(HttpResponse<String> response, String field) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = json(response);
    assertThat(error.get("error").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.get("field").asText()).as(response.body()).isEqualTo(field);
  }
}
