package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.client.FelixClient;
import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.server.audit.AuditLog;
import dev.felix.server.audit.AuditReader;
import dev.felix.wire.message.StreamRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication on and no policy file: a bootstrap admin writes the tenant's policy through the
 * admin API, and the data plane follows each change at once, over real QUIC.
 */
class AdminPolicyTest {
  private static final String GRANT_PUBLISH =
      """
      {"roles": {"writer": [{"actions": ["stream.publish"], "resources": ["orders/*"]}]},
       "bindings": [{"role": "writer", "principals": ["svc"]}]}
      """;

  private static Path dir;
  private static TestCredentials credentials;
  private static EmbeddedFelix felix;

  @BeforeAll
  static void startServer() throws Exception {
    dir = Files.createTempDirectory("felix-admin-policy-test-");
    credentials = new TestCredentials(dir);
    felix =
        EmbeddedFelix.start(
            Map.of(
                "FELIX_AUTH_ENABLED",
                "true",
                "FELIX_AUTH_JWT_JWKS_URL",
                credentials.jwksUrl(),
                "FELIX_AUTH_JWT_ISSUER",
                TestCredentials.ISSUER,
                "FELIX_AUTH_JWT_AUDIENCE",
                TestCredentials.AUDIENCE,
                "FELIX_AUTH_BOOTSTRAP_ADMINS",
                "ops@acme"));
  }

  @AfterAll
  static void stopServer() {
    try {
      if (felix != null) {
        felix.close();
      }
    } finally {
      credentials.close();
      EmbeddedFelix.deleteRecursively(dir);
    }
  }

  @Test
  void aPolicyWrittenThroughTheApiGovernsTheDataPlaneAtOnce() throws Exception {
    String ops = credentials.token("ops", "acme", c -> c);
    String svc = credentials.token("svc", "acme", c -> c);
    FelixClient client = felix.connect(o -> o.authToken(svc.getBytes(StandardCharsets.UTF_8)));
    StreamRef orders = new StreamRef("acme", "orders", EmbeddedFelix.uniqueStream("live"));

    assertDenied(() -> client.publish(orders, bytes("before")));

    assertThat(call("PUT", "/admin/v1/policies/acme", GRANT_PUBLISH, svc).statusCode())
        .as("svc holds no admin")
        .isEqualTo(403);
    assertThat(call("PUT", "/admin/v1/policies/globex", GRANT_PUBLISH, ops).statusCode())
        .as("a bootstrap admin of acme cannot touch globex")
        .isEqualTo(403);
    HttpResponse<String> put = call("PUT", "/admin/v1/policies/acme", GRANT_PUBLISH, ops);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

    assertThat(client.publish(orders, bytes("granted")).offset()).isZero();

    assertThat(call("DELETE", "/admin/v1/policies/acme", null, ops).statusCode()).isEqualTo(200);
    assertDenied(() -> client.publish(orders, bytes("revoked")));

    Await.until(
        "the policy change and the denial are audited",
        () -> {
          var lines = AuditReader.read(AuditLog.directory(felix.dataDir()), null, 10_000);
          return lines.stream()
                  .anyMatch(l -> l.contains("\"action\":\"policy.put\"") && l.contains("\"ok\""))
              && lines.stream()
                  .anyMatch(
                      l ->
                          l.contains("\"action\":\"policy.put\"")
                              && l.contains("\"principal\":\"svc\"")
                              && l.contains("denied"));
        });
  }

  private static void assertDenied(ThrowingCall call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(AuthException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.PERMISSION_DENIED);
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> call(String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + felix.server().httpAddress().getPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Authorization", "Bearer " + token);
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
