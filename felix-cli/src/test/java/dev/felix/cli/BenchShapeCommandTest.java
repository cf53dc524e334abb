package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.felix.loadgen.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Custom shapes of {@code felix bench W1-W3}: several publishers, a batch bound, ack mode and a
 * durable stream, each run lossless and in order per publisher; and a short W4 (cache).
 */
class BenchShapeCommandTest {
  /** Runs the command, expects exit 0 (lossless), returns every JSON line it printed. */
  private static List<JsonNode> runAll(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = CliHarness.run(out, err, args);
    assertThat(exit).as("stdout: %s%nstderr: %s", out, err).isZero();
    // Each run's stream is deleted from the embedded broker afterwards (admin API).
    assertThat(err.toString()).doesNotContain("could not delete");
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString().lines().filter(l -> l.startsWith("{")).toList()) {
      lines.add(mapper.readTree(line));
    }
    return lines;
  }

  private static JsonNode run(String... args) throws Exception {
    return runAll(args).get(0);
  }

  @Test
  void threePublishersWithSmallBatchesOnADurableStreamDeliverEverythingInOrder() throws Exception {
    JsonNode result =
        run(
            "bench",
            "W1",
            "--messages",
            "3000",
            "--subscribers",
            "2",
            "--publishers",
            "3",
            "--batch",
            "16",
            "--durable",
            "--fsync",
            "never",
            "--warmup",
            "0",
            "--json");

    assertThat(result.get("published").asLong()).isEqualTo(3000);
    assertThat(result.get("deliveries").asLong()).isEqualTo(6000);
    assertThat(result.get("lost").asLong()).isZero();
    assertThat(result.get("outOfOrder").asLong()).isZero();
    // Acknowledged publishes: every 16th is timed from publishAsync to its acknowledgement.
    assertThat(result.get("ackP50Micros").asDouble()).isPositive();
    assertThat(result.get("ackP99Micros").asDouble())
        .isGreaterThanOrEqualTo(result.get("ackP50Micros").asDouble());
  }

  @Test
  void fireAndForgetPublishesAreDeliveredToo() throws Exception {
    JsonNode result =
        run("bench", "W1", "--messages", "2000", "--ack", "none", "--warmup", "0", "--json");

    assertThat(result.get("deliveries").asLong()).isEqualTo(2000);
    assertThat(result.get("outOfOrder").asLong()).isZero();
    assertThat(result.get("ackP50Micros").isNull()).as("nothing is acknowledged").isTrue();
  }

  @Test
  void aRefusedPublishIsReportedWithItsCauseAndCountsAsLoss() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // A 256 KiB budget for all memory streams: W1's 5,000 x 100 B outgrow it.
    int exit =
        CliHarness.run(
            out,
            err,
            "bench",
            "W1",
            "--messages",
            "5000",
            "--warmup",
            "0",
            "--broker-setting",
            "FELIX_STREAMS_MEMORY_MAX_BYTES=262144",
            "--json");

    assertThat(exit).as("loss: exit 1; stdout: %s%nstderr: %s", out, err).isEqualTo(1);
    String json = out.toString().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
    JsonNode result = new ObjectMapper().readTree(json);
    // every refused publish is counted, is the only loss, and is not waited for (no timeout)
    assertThat(result.get("publishErrors").asLong()).isPositive();
    assertThat(result.get("lost").asLong()).isEqualTo(result.get("publishErrors").asLong());
    assertThat(result.get("publishError").asText())
        .startsWith("LIMIT_EXCEEDED: ")
        .contains("FELIX_STREAMS_MEMORY_MAX_BYTES");
  }

  @Test
  void theEmbeddedBrokerLogsToStderrSoThatJsonOnStdoutStaysParseable() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream processStdout = new ByteArrayOutputStream();
    System.setOut(new PrintStream(processStdout, true, StandardCharsets.UTF_8));
    try {
      run("bench", "W1", "--messages", "200", "--warmup", "0", "--json");
    } finally {
      System.setOut(original);
    }

    assertThat(processStdout.toString(StandardCharsets.UTF_8)).doesNotContain("Felix ready");
  }

  @Test
  void theMedianOfFixedRateRunsIsTheRunWithTheMiddleP99AndEveryRunReportsItsCosts()
      throws Exception {
    List<JsonNode> lines =
        runAll(
            "bench",
            "W3",
            "--rate",
            "500",
            "--duration",
            "1",
            "--runs",
            "3",
            "--warmup",
            "0",
            "--json");
    assertThat(lines).hasSize(4); // three runs, then the median

    double[] p99s =
        lines.subList(0, 3).stream()
            .mapToDouble(r -> r.get("p99Micros").asDouble())
            .sorted()
            .toArray();
    assertThat(lines.get(3).get("p99Micros").asDouble()).isEqualTo(p99s[1]);
    for (JsonNode run : lines) {
      assertThat(run.get("cpuWaitSeconds").isNumber()).as("schedstat on Linux").isTrue();
      assertThat(run.get("cpuWaitSeconds").asDouble()).isNotNegative();
      // every message wakes at least the subscriber's event loop, and is at least one packet of
      // its own over loopback
      assertThat(run.get("wakeupsPerMessage").asDouble()).isGreaterThanOrEqualTo(1.0);
      assertThat(run.get("datagramsPerMessage").asDouble()).isGreaterThanOrEqualTo(1.0);
    }
  }

  @Test
  void theCacheWorkloadReportsItsMixWithoutErrorsAndItsCpuPerOperation() throws Exception {
    List<JsonNode> lines =
        runAll("bench", "W4", "--duration", "1", "--threads", "2", "--warmup", "0", "--json");
    assertThat(lines).hasSize(2); // the run, then the median (the same run)

    JsonNode run = lines.get(0);
    long operations = run.get("gets").asLong() + run.get("puts").asLong();
    assertThat(run.get("target").asText()).isEqualTo("felix");
    assertThat(operations).isPositive();
    assertThat(run.get("misses").asLong()).as("every key preloaded").isZero();
    assertThat(run.get("errors").asLong()).isZero();
    // Embedded broker: its CPU is this JVM's, so there is no separate server figure.
    assertThat(run.get("serverCpuSeconds").isNull()).isTrue();
    assertThat(run.get("processCpuSeconds").asDouble()).isPositive();
    assertThat(run.get("cpuMicrosPerOp").asDouble())
        .isCloseTo(
            run.get("processCpuSeconds").asDouble() * 1e6 / operations,
            within(run.get("cpuMicrosPerOp").asDouble() * 0.02));
    // a caller waits for each answer, so each call wakes it at least once; and each call is at
    // least a request datagram over loopback, answers sharing packets when calls overlap
    assertThat(run.get("wakeupsPerOp").asDouble()).isGreaterThanOrEqualTo(1.0);
    assertThat(run.get("datagramsPerOp").asDouble()).isGreaterThan(0.5);
  }

  @Test
  void aThroughputWorkloadWarmsUpInSlicesThatTheMeasuredRunDoesNotCount() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = CliHarness.run(out, err, "bench", "W1", "--messages", "500", "--warmup", "1");

    assertThat(exit).as("stderr: %s", err).isZero();
    assertThat(err.toString()).containsPattern("warm-up of \\d+ s done \\(the JIT compiled");
    assertThat(out.toString()).contains("published    500\n").contains("500 of 500");
    assertThat(BenchCommand.throughputSlice(Workload.named("W1")).totalMessages())
        .isEqualTo(100_000);
    assertThat(BenchCommand.throughputSlice(Workload.named("W1").withMessages(5)).totalMessages())
        .isEqualTo(1);
  }

  @Test
  void anUnknownAckModeIsRefused() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = CliHarness.run(out, err, "bench", "W1", "--messages", "10", "--ack", "quorum");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--ack must be none or leader");
  }

  @Test
  void redisPubSubIsAPeerForThroughputWorkloadsOnlyAndRefusedBeforeAnythingStarts() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int fixedRate = CliHarness.run(out, err, "bench", "W3", "--peer", "redis");

    assertThat(fixedRate).isEqualTo(2);
    assertThat(err.toString()).contains("--peer for W3 must be nats").doesNotContain("or redis");

    StringWriter moreErr = new StringWriter();
    int twoPublishers =
        CliHarness.run(out, moreErr, "bench", "W1", "--peer", "redis", "--publishers", "2");

    assertThat(twoPublishers).isEqualTo(2);
    assertThat(moreErr.toString()).contains("drop --publishers and --durable");
    assertThat(out.toString()).isEmpty(); // no run started
  }

  @Test
  void anUnknownRedisClientIsRefusedBeforeAnythingStarts() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        CliHarness.run(out, err, "bench", "W4", "--peer", "redis", "--redis-client", "memcached");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--redis-client must be jedis or lettuce");
    assertThat(err.toString()).doesNotContain("preloading");
  }

  @Test
  void aRedisAddressWithoutAPortIsRefusedBeforeAnythingStarts() {
    for (String workload : List.of("W1", "W4")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit =
          CliHarness.run(out, err, "bench", workload, "--peer", "redis", "--redis", "localhost");

      assertThat(exit).as(workload).isEqualTo(2);
      assertThat(err.toString()).contains("--redis must be HOST:PORT, not 'localhost'");
      assertThat(err.toString()).doesNotContain("preloading").doesNotContain("Felix ready");
    }
  }
}
