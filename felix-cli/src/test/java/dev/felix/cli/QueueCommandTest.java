package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.server.FelixServer;
import dev.felix.transport.DevelopmentCertificates;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code felix queue consume|stats} against a real server over QUIC. */
class QueueCommandTest {
  @TempDir static Path dataDir;
  private static FelixServer server;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void startServer() throws Exception {
    server = CliHarness.startServer(dataDir, Map.of());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.shutdown();
    }
  }

  private int consume(String... args) {
    String[] withServer =
        CliHarness.with(args, "--server", "127.0.0.1:" + server.quicAddress().getPort());
    return CliHarness.run(out, err, CliHarness.with(withServer, "--data-dir", dataDir.toString()));
  }

  private int stats(String... args) {
    return CliHarness.run(
        out, err, CliHarness.with(args, "--http", "127.0.0.1:" + server.httpAddress().getPort()));
  }

  private static void publish(String stream, String... payloads) {
    try (FelixClient client =
        Felix.connect(
            FelixOptions.builder()
                .serverAddress("127.0.0.1:" + server.quicAddress().getPort())
                .caFile(DevelopmentCertificates.caCertificateFile(dataDir))
                .build())) {
      for (String payload : payloads) {
        client.publish(stream, payload.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void consumeAcksWhatItPrintsAndStatsShowTheRest() {
    publish("jobs", "a", "b", "c", "d", "e");
    assertThat(consume("queue", "consume", "jobs", "--group", "g", "--count", "3")).isZero();
    assertThat(out.toString().lines()).containsExactly("a", "b", "c");

    out.getBuffer().setLength(0);
    assertThat(stats("queue", "stats", "jobs", "--group", "g")).isZero();
    assertThat(out.toString())
        .contains(
            "group g on default/default/jobs",
            String.format("  %-14s %d", "lag", 2),
            String.format("  %-14s %d", "acks", 3))
        .contains("shard 0: committed 3");

    out.getBuffer().setLength(0);
    assertThat(consume("queue", "consume", "jobs", "--group", "g", "--count", "2")).isZero();
    assertThat(out.toString().lines()).containsExactly("d", "e");
    assertThat(stats("queue", "stats", "jobs", "--group", "nobody")).isEqualTo(1);
  }

  @Test
  void manualAcksComeFromStdinAndANackRedelivers() {
    publish("tasks", "x", "y");
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("nack\nack\nack\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(
              consume(
                  "queue",
                  "consume",
                  "tasks",
                  "--group",
                  "g",
                  "--ack",
                  "manual",
                  "--max-in-flight",
                  "1",
                  "--count",
                  "3"))
          .isZero();
    } finally {
      System.setIn(stdin);
    }
    assertThat(out.toString().lines()).containsExactly("x", "x", "y");
    out.getBuffer().setLength(0);
    assertThat(stats("queue", "stats", "tasks", "--group", "g", "--format", "json")).isZero();
    assertThat(out.toString()).contains("\"redeliveries\" : 1", "\"lag\" : 0");
  }

  @Test
  void adminGroupCommandsSetTheSettingsThatStatsShow() {
    publish("orders", "o");
    assertThat(
            stats(
                "admin",
                "group",
                "create",
                "orders",
                "g",
                "--max-deliveries",
                "3",
                "--visibility-timeout",
                "45s",
                "--dead-letter",
                "orders.failed",
                "--max-in-flight",
                "7"))
        .isZero();
    assertThat(out.toString()).contains("\"maxDeliveries\" : 3", "\"running\" : false");

    out.getBuffer().setLength(0);
    assertThat(stats("admin", "group", "update", "orders", "g", "--max-deliveries", "2")).isZero();
    assertThat(consume("queue", "consume", "orders", "--group", "g", "--count", "1")).isZero();
    out.getBuffer().setLength(0);
    assertThat(stats("queue", "stats", "orders", "--group", "g")).isZero();
    assertThat(out.toString())
        .contains(
            "group g on default/default/orders: 0 members",
            "max deliveries 2, visibility timeout 45000 ms, dead letters to orders.failed,"
                + " max in flight 7 (the group's own)");

    out.getBuffer().setLength(0);
    assertThat(stats("admin", "group", "update", "orders", "g", "--max-deliveries", "0"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("\"field\" : \"maxDeliveries\"");
    assertThat(stats("admin", "group", "get", "orders", "g")).isZero();
    assertThat(stats("admin", "group", "delete", "orders", "g")).isZero();
    assertThat(stats("admin", "group", "get", "orders", "g")).isEqualTo(1);
  }
}
