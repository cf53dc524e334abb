package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.server.FelixServer;
import dev.felix.transport.DevelopmentCertificates;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code felix admin cursor list|delete} and their admin routes against a real server. */
class AdminCursorCommandTest {
  @TempDir static Path dataDir;
  private static FelixServer server;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void startServer() throws Exception {
    server = CliHarness.startServer(dataDir, Map.of("FELIX_STREAM_STORAGE", "durable"));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.shutdown();
    }
  }

  private int sub(String... args) {
    out.getBuffer().setLength(0);
    String[] withServer =
        CliHarness.with(args, "--server", "127.0.0.1:" + server.quicAddress().getPort());
    return CliHarness.run(out, err, CliHarness.with(withServer, "--data-dir", dataDir.toString()));
  }

  private int admin(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return CliHarness.run(
        out, err, CliHarness.with(args, "--http", "127.0.0.1:" + server.httpAddress().getPort()));
  }

  private static void publish(String stream, int count) {
    try (FelixClient client =
        Felix.connect(
            FelixOptions.builder()
                .serverAddress("127.0.0.1:" + server.quicAddress().getPort())
                .caFile(DevelopmentCertificates.caCertificateFile(dataDir))
                .build())) {
      for (int i = 0; i < count; i++) {
        client.publish(stream, ("r" + i).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void listShowsPositionAndLagAndDeleteResetsTheCursor() throws Exception {
    publish("audit", 5);
    assertThat(sub("sub", "audit", "--from", "earliest", "--cursor", "c", "--count", "3")).isZero();

    assertThat(admin("admin", "cursor", "list", "audit")).isZero();
    JsonNode cursors = new ObjectMapper().readTree(out.toString()).get("cursors");
    assertThat(cursors).hasSize(1);
    JsonNode cursor = cursors.get(0);
    assertThat(cursor.get("name").asText()).isEqualTo("c");
    assertThat(cursor.get("durable").asBoolean()).isTrue();
    assertThat(cursor.get("lag").asLong()).isEqualTo(2);
    assertThat(cursor.get("shards").get(0).get("position").asLong()).isEqualTo(3);

    assertThat(admin("admin", "cursor", "delete", "audit", "c")).isZero();
    assertThat(out.toString()).contains("\"deleted\"");
    assertThat(admin("admin", "cursor", "delete", "audit", "c")).isEqualTo(1);
    assertThat(err.toString()).contains("NOT_FOUND");
    assertThat(admin("admin", "cursor", "list", "audit")).isZero();
    assertThat(new ObjectMapper().readTree(out.toString()).get("cursors")).isEmpty();

    // Reset: the next subscription starts at its requested start again.
    assertThat(sub("sub", "audit", "--from", "earliest", "--cursor", "c", "--count", "1")).isZero();
    assertThat(out.toString().lines()).containsExactly("r0");
  }
}
