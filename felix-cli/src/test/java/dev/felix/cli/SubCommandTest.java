package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

/** {@code felix sub} against a real server over QUIC. */
class SubCommandTest {
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
  void aCursorContinuesAfterWhatThePreviousRunPrinted() {
    publish("events", "a", "b", "c", "d", "e");

    assertThat(sub("sub", "events", "--from", "earliest", "--cursor", "tail", "--count", "3"))
        .isZero();
    assertThat(out.toString().lines()).containsExactly("a", "b", "c");

    assertThat(sub("sub", "events", "--from", "earliest", "--cursor", "tail", "--count", "2"))
        .isZero();
    assertThat(out.toString().lines()).containsExactly("d", "e");

    // Another cursor, and no cursor at all, start where --from says.
    assertThat(sub("sub", "events", "--from", "earliest", "--cursor", "other", "--count", "1"))
        .isZero();
    assertThat(out.toString().lines()).containsExactly("a");
    assertThat(sub("sub", "events", "--from", "earliest", "--count", "1")).isZero();
    assertThat(out.toString().lines()).containsExactly("a");
  }

  @Test
  void anInvalidCursorNameIsAUsageError() {
    assertThat(sub("sub", "events", "--cursor", "a b", "--count", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("cursor");
  }
}
