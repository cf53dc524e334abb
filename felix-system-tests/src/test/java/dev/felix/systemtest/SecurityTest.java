package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.client.CacheWatchEvent;
import dev.felix.client.CacheWatchListener;
import dev.felix.client.ConnectionState;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.server.audit.AuditLog;
import dev.felix.server.audit.AuditReader;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.StreamRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication, authorization and audit over real QUIC: one server with JWT (JWKS from a local
 * issuer), requested client certificates and a policy file; a second one requiring certificates.
 */
class SecurityTest {
  private static final String POLICY =
      """
      tenants:
        acme:
          roles:
            writer:
              - actions: [stream.publish, stream.subscribe, cache.read, cache.write]
                resources: ["orders/*"]
            operator:
              - actions: [admin]
                resources: ["*"]
          bindings:
            - role: writer
              principals: [svc]
            - role: operator
              principals: [ops]
        globex:
          roles:
            all:
              - actions: [stream.publish, stream.subscribe, cache.read, cache.write]
                resources: ["*"]
          bindings:
            - role: all
              principals: [gsvc]
      """;

  private static Path dir;
  private static TestCredentials credentials;
  private static Path policyFile;
  private static EmbeddedFelix felix;

  @BeforeAll
  static void startServer() throws Exception {
    dir = Files.createTempDirectory("felix-security-test-");
    credentials = new TestCredentials(dir);
    policyFile = dir.resolve("policy.yaml");
    writePolicy(POLICY, 0);
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
                "FELIX_TLS_CLIENT_AUTH",
                "request",
                "FELIX_TLS_CLIENT_CA",
                credentials.caFile().toString(),
                "FELIX_AUTH_POLICY_FILE",
                policyFile.toString()));
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

  /** Writes the policy with a distinct modification time, so each version is seen as a change. */
  private static void writePolicy(String text, int version) throws Exception {
    Files.writeString(policyFile, text);
    Files.setLastModifiedTime(policyFile, FileTime.from(Instant.now().plusSeconds(10L * version)));
  }

  private static FelixClient withToken(String token) {
    return felix.connect(o -> o.authToken(token.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> audit() {
    return AuditReader.read(AuditLog.directory(felix.dataDir()), null, 10_000);
  }

  private static void awaitAudit(String... fragments) {
    Await.until(
        "an audit entry with " + String.join(", ", fragments),
        () ->
            audit().stream()
                .anyMatch(line -> List.of(fragments).stream().allMatch(line::contains)));
  }

  private static void assertCode(ThrowableAssertCall call, ErrorCode code, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(AuthException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(code);
  }

  @FunctionalInterface
  interface ThrowableAssertCall {
    void run() throws Exception;
  }

  @Test
  void aTokenGrantsItsRolesInItsTenant() throws Exception {
    FelixClient client = withToken(credentials.token("svc", "acme", c -> c));
    StreamRef orders = new StreamRef("acme", "orders", EmbeddedFelix.uniqueStream("eu"));
    try (Subscription subscription = client.subscribe(orders, SubscribeOptions.earliest())) {
      assertThat(client.publish(orders, bytes("order 1")).offset()).isZero();
      ReceivedRecord record = subscription.poll(Duration.ofSeconds(30));
      assertThat(record.payloadAsString()).isEqualTo("order 1");
    }
    FelixCache cache = client.cache(new CacheRef("acme", "orders", "sessions"));
    cache.put("k", "v", null);
    assertThat(cache.get("k")).isPresent();
  }

  @Test
  void crossTenantAndUngrantedAccessIsDeniedAndAudited() {
    FelixClient client = withToken(credentials.token("svc", "acme", c -> c));
    StreamRef globex = new StreamRef("globex", "orders", "eu");
    assertCode(
        () -> client.publish(globex, bytes("x")),
        ErrorCode.PERMISSION_DENIED,
        "stream.publish on globex/orders/eu");
    assertCode(
        () -> client.subscribe(globex, SubscribeOptions.latest()),
        ErrorCode.PERMISSION_DENIED,
        "stream.subscribe on globex/orders/eu");
    FelixCache otherCache = client.cache(new CacheRef("globex", "orders", "sessions"));
    assertCode(
        () -> otherCache.get("k"),
        ErrorCode.PERMISSION_DENIED,
        "cache.read on globex/orders/sessions");
    assertCode(
        () -> otherCache.put("k", "v", null),
        ErrorCode.PERMISSION_DENIED,
        "cache.write on globex/orders/sessions");
    CompletableFuture<FelixException> watchDenied = new CompletableFuture<>();
    otherCache.watch(
        "",
        new CacheWatchListener() {
          @Override
          public void onSnapshotEntry(CacheWatchEvent entry) {}

          @Override
          public void onChange(CacheWatchEvent change) {}

          @Override
          public void onError(FelixException error) {
            watchDenied.complete(error);
          }
        });
    assertThat(watchDenied.join())
        .hasMessageContaining("cache.read on globex/orders/sessions")
        .extracting(FelixException::code)
        .isEqualTo(ErrorCode.PERMISSION_DENIED);
    // Same tenant, namespace not granted.
    assertCode(
        () -> client.publish(new StreamRef("acme", "billing", "b"), bytes("x")),
        ErrorCode.PERMISSION_DENIED,
        "stream.publish on acme/billing/b");

    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    Metrics metrics = felix.metrics();
    assertThat(metrics.value("felix_auth_denials_total{action=\"stream.publish\"}"))
        .isGreaterThanOrEqualTo(2);
    assertThat(metrics.value("felix_auth_denials_total{action=\"cache.write\"}"))
        .isGreaterThanOrEqualTo(1);
    awaitAudit("\"principal\":\"svc\"", "\"action\":\"stream.subscribe\"", "globex/orders/eu");
    awaitAudit("\"action\":\"cache.read\"", "\"resource\":\"globex/orders/sessions\"", "denied");
  }

  @Test
  void badTokensAndMissingCredentialsAreUnauthenticated() {
    String expired =
        credentials.token(
            "svc", "acme", c -> c.expirationTime(Date.from(Instant.now().minusSeconds(600))));
    assertCode(() -> withToken(expired), ErrorCode.UNAUTHENTICATED, "expired");
    assertCode(
        () -> withToken(credentials.forgedToken("svc", "acme")),
        ErrorCode.UNAUTHENTICATED,
        "rejected");
    assertCode(
        () -> withToken(credentials.token("svc", "acme", c -> c.audience("other"))),
        ErrorCode.UNAUTHENTICATED,
        "audience");
    assertCode(() -> felix.connect(), ErrorCode.UNAUTHENTICATED, "authentication required");

    assertThat(felix.metrics().value("felix_auth_failures_total{method=\"jwt\"}"))
        .isGreaterThanOrEqualTo(3);
    awaitAudit("\"type\":\"authentication\"", "\"result\":\"failed\"", "expired");
    awaitAudit("\"type\":\"authentication\"", "audience");
  }

  @Test
  void aClientCertificateIsAPrincipalOfItsOrganisation() throws Exception {
    Path[] gsvc = credentials.clientCertificate("gsvc", "CN=gsvc,O=globex,OU=ops");
    FelixClient client = felix.connect(o -> o.clientCertificate(gsvc[0]).clientKey(gsvc[1]));
    assertThat(client.publish(new StreamRef("globex", "any", "x"), bytes("hello")).offset())
        .isGreaterThanOrEqualTo(0);
    assertCode(
        () -> client.publish(new StreamRef("acme", "orders", "eu"), bytes("x")),
        ErrorCode.PERMISSION_DENIED,
        "acme/orders/eu");
  }

  @Test
  void aPolicyFileChangeTakesEffectWithoutRestart() throws Exception {
    FelixClient client = withToken(credentials.token("svc", "acme", c -> c));
    StreamRef billing = new StreamRef("acme", "billing", EmbeddedFelix.uniqueStream("b"));
    assertCode(
        () -> client.publish(billing, bytes("x")), ErrorCode.PERMISSION_DENIED, "stream.publish");

    writePolicy(POLICY.replace("\"orders/*\"", "\"orders/*\", \"billing/*\""), 1);
    Await.until(
        "the new policy allows billing",
        () -> {
          try {
            client.publish(billing, bytes("x"));
            return true;
          } catch (AuthException e) {
            return false;
          }
        });

    // An invalid change is ignored: the last good policy stays.
    writePolicy("tenants: [broken", 2);
    Await.until(
        "the invalid policy was seen and rejected",
        () -> felix.metrics().value("felix_auth_policy_reloads_total{result=\"rejected\"}") >= 1);
    client.publish(billing, bytes("still allowed"));
    writePolicy(POLICY, 3);
    Await.until(
        "the original policy is back",
        () -> {
          try {
            client.publish(billing, bytes("x"));
            return false;
          } catch (AuthException e) {
            return e.code() == ErrorCode.PERMISSION_DENIED;
          }
        });
  }

  @Test
  void requiredClientCertificatesRefuseClientsWithoutOne() throws Exception {
    Path[] svc = credentials.clientCertificate("svc-required", "CN=svc,O=acme");
    try (EmbeddedFelix strict =
        EmbeddedFelix.start(
            Map.of(
                "FELIX_AUTH_ENABLED",
                "true",
                "FELIX_TLS_CLIENT_AUTH",
                "require",
                "FELIX_TLS_CLIENT_CA",
                credentials.caFile().toString(),
                "FELIX_AUTH_POLICY_FILE",
                policyFile.toString()))) {
      assertThatThrownBy(() -> strict.connect())
          .isInstanceOf(FelixException.class)
          .extracting(e -> ((FelixException) e).code())
          .isIn(ErrorCode.UNAUTHENTICATED, ErrorCode.UNAVAILABLE);

      FelixClient client = strict.connect(o -> o.clientCertificate(svc[0]).clientKey(svc[1]));
      assertThat(client.publish(new StreamRef("acme", "orders", "eu"), bytes("x")).offset())
          .isZero();
    }
  }

  @Test
  void theAdminApiNeedsATokenWithTheAdminActionAndAuditsChanges() throws Exception {
    String body =
        "{\"tenant\":\"acme\",\"namespace\":\"prod\",\"name\":\"ledger\",\"storage\":\"durable\"}";
    assertThat(admin(body, null).statusCode()).isEqualTo(401);
    assertThat(admin(body, credentials.token("svc", "acme", c -> c)).statusCode()).isEqualTo(403);
    String ops = credentials.token("ops", "acme", c -> c);
    assertThat(admin(body.replace("acme", "globex"), ops).statusCode())
        .as("an acme operator cannot touch globex")
        .isEqualTo(403);
    assertThat(admin("/admin/v1/tenants", "{\"name\":\"acme\"}", ops).statusCode()).isEqualTo(201);
    assertThat(
            admin("/admin/v1/namespaces", "{\"tenant\":\"acme\",\"name\":\"prod\"}", ops)
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> created = admin(body, ops);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    awaitAudit("\"principal\":\"ops\"", "\"action\":\"stream.create\"", "acme/prod/ledger", "ok");
    awaitAudit("\"principal\":\"svc\"", "\"action\":\"stream.create\"", "denied");
  }

  private static HttpResponse<String> admin(String body, String token) throws Exception {
    return admin("/admin/v1/streams", body, token);
  }

  private static HttpResponse<String> admin(String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + felix.server().httpAddress().getPort() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
