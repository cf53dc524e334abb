package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code felix bench W6} end to end at a small scale: a broker process of its own, subscriptions
 * spread over connections and streams, every record delivered, the broker's memory read from its
 * metrics.
 */
class BenchScaleCommandTest {
  @TempDir Path dataDir;

  @Test
  void w6StartsItsOwnBrokerDeliversEveryRecordAndReportsTheBrokersMemory() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit =
        CliHarness.run(
            out,
            err,
            "bench",
            "W6",
            "--connections",
            "2",
            "--streams",
            "10",
            "--duration",
            "2",
            "--json");

    assertThat(exit).as("stderr: %s", err).isZero();
    JsonNode run = new ObjectMapper().readTree(out.toString().lines().findFirst().orElseThrow());
    assertThat(run.get("workload").asText()).isEqualTo("W6");
    assertThat(run.get("subscriptions").asInt()).isEqualTo(200);
    // 10 streams at 1 msg/s for 2 s of warm-up and 2 measured: 40 messages, 20 subscribers each.
    assertThat(run.get("published").asLong()).isEqualTo(40);
    assertThat(run.get("deliveries").asLong()).isEqualTo(800);
    assertThat(run.get("lost").asLong()).isZero();
    assertThat(run.get("outOfOrder").asLong()).isZero();
    assertThat(run.get("brokerPeakRssBytes").asLong()).isGreaterThan(16L << 20);
    assertThat(run.get("brokerPeakHeapBytes").asLong()).isPositive();
    assertThat(out.toString()).contains("SLO W6 broker peak RSS");
  }

  @Test
  void againstARunningBrokerItReadsMemoryFromMetricsWhenGiven() throws Exception {
    var server = CliHarness.startServer(dataDir, Map.of());
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit =
          CliHarness.run(
              out,
              err,
              "bench",
              "W6",
              "--server",
              "127.0.0.1:" + server.quicAddress().getPort(),
              "--ca",
              dataDir.resolve("tls/dev-ca.pem").toString(),
              "--metrics",
              "127.0.0.1:" + server.httpAddress().getPort(),
              "--connections",
              "1",
              "--streams",
              "5",
              "--duration",
              "1",
              "--json");

      assertThat(exit).as("stderr: %s", err).isZero();
      JsonNode run = new ObjectMapper().readTree(out.toString().lines().findFirst().orElseThrow());
      assertThat(run.get("deliveries").asLong()).isEqualTo(run.get("published").asLong() * 20);
      assertThat(run.get("lost").asLong()).isZero();
      assertThat(run.get("brokerPeakRssBytes").asLong()).isPositive();
    } finally {
      server.shutdown();
    }
  }
}
