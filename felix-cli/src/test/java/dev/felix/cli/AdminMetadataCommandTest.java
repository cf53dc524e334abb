package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.felix.server.FelixServer;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code felix admin tenant|namespace|cache|policy|group|cluster} against a real server. */
class AdminMetadataCommandTest {
  @TempDir static Path dataDir;
  private static FelixServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void startServer() throws Exception {
    server = CliHarness.startServer(dataDir.resolve("data"), Map.of("FELIX_REGION", "eu-central"));
  }

  @AfterAll
  static void stopServer() {
    server.shutdown();
  }

  private int run(String... args) {
    return runAt("127.0.0.1:" + server.httpAddress().getPort(), args);
  }

  private int runAt(String http, String... args) {
    return CliHarness.run(out, err, CliHarness.with(args, "--http", http));
  }

  @Test
  void tenantsAndNamespaces() {
    assertThat(run("admin", "tenant", "create", "globex")).as(err.toString()).isZero();
    assertThat(run("admin", "tenant", "create", "globex")).isEqualTo(2);
    assertThat(run("admin", "namespace", "create", "globex/billing")).as(err.toString()).isZero();
    assertThat(run("admin", "namespace", "describe", "globex/billing")).isZero();
    assertThat(run("admin", "namespace", "list")).isZero();
    assertThat(out.toString()).contains("\"name\" : \"billing\"");
    assertThat(run("admin", "tenant", "describe", "globex")).isZero();
    assertThat(run("admin", "tenant", "delete", "globex")).isZero();
    assertThat(out.toString()).contains("\"namespacesRemoved\" : 1");
    assertThat(run("admin", "tenant", "describe", "globex")).isEqualTo(1);
    assertThat(run("admin", "namespace", "create", "nope/billing")).isEqualTo(1);
    assertThat(err.toString()).contains("\"field\" : \"tenant\"");
  }

  @Test
  void cachesWithTtlUpdates() {
    assertThat(
            run(
                "admin",
                "cache",
                "create",
                "prices",
                "--max-bytes",
                "1MiB",
                "--default-ttl",
                "5m",
                "--max-value-bytes",
                "4KiB"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("\"defaultTtlMs\" : 300000", "\"maxValueBytes\" : 4096");
    assertThat(run("admin", "cache", "update", "prices", "--default-ttl", "10m")).isZero();
    assertThat(out.toString()).contains("\"defaultTtlMs\" : 600000");
    assertThat(run("admin", "cache", "list")).isZero();
    assertThat(run("admin", "cache", "describe", "default/default/prices")).isZero();
    assertThat(run("admin", "cache", "update", "prices", "--max-ttl", "1m")).isEqualTo(2);
    assertThat(err.toString()).contains("\"field\" : \"defaultTtlMs\"");
    assertThat(run("admin", "cache", "delete", "prices")).isZero();
    assertThat(out.toString()).contains("entriesRemoved");
    assertThat(run("admin", "cache", "describe", "prices")).isEqualTo(1);
  }

  @Test
  void policiesGroupsAndCluster() throws Exception {
    Path policy = dataDir.resolve("acme-policy.json");
    Files.writeString(
        policy,
        "{\"roles\":{\"ops\":[{\"actions\":[\"admin\"],\"resources\":[\"*\"]}]},"
            + "\"bindings\":[{\"role\":\"ops\",\"principals\":[\"alice\"]}]}");
    assertThat(run("admin", "policy", "set", "acme", "--file", policy.toString()))
        .as(err.toString())
        .isZero();
    assertThat(run("admin", "policy", "describe", "acme")).isZero();
    assertThat(out.toString()).contains("\"alice\"");
    assertThat(run("admin", "policy", "list")).isZero();
    assertThat(run("admin", "policy", "delete", "acme")).isZero();
    assertThat(run("admin", "policy", "describe", "acme")).isEqualTo(1);

    assertThat(run("admin", "group", "list")).isZero();
    assertThat(out.toString()).contains("\"groups\" : [ ]");
    assertThat(run("admin", "cluster")).isZero();
    assertThat(out.toString()).contains("\"region\" : \"eu-central\"");
  }

  @Test
  void theTokenIsSentAsABearerHeader() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    HttpServer fake =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fake.createContext(
        "/",
        exchange -> {
          seen.set(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    fake.start();
    try {
      assertThat(
              runAt(
                  "127.0.0.1:" + fake.getAddress().getPort(),
                  "admin",
                  "cluster",
                  "--token",
                  "abc.def.ghi"))
          .isZero();
      assertThat(seen.get()).isEqualTo("Bearer abc.def.ghi");
    } finally {
      fake.stop(0);
    }
  }
}
