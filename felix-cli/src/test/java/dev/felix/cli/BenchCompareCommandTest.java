package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code felix bench compare}: medians per workload and target, the change, and the charts. */
class BenchCompareCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static String run(String target, String workload, double throughput, double p99) {
    return String.format(
        java.util.Locale.ROOT,
        "{\"target\":\"%s\",\"workload\":\"%s\",\"deliveriesPerSecond\":%.1f,\"p50Micros\":10.0,"
            + "\"p99Micros\":%.1f,\"p999Micros\":%.1f,\"lost\":0}",
        target,
        workload,
        throughput,
        p99,
        p99 * 2);
  }

  /** A saved result file: {@code lines} as {@code felix bench --json} output would hold them. */
  private Path file(String name, String... lines) throws java.io.IOException {
    return Files.writeString(dir.resolve(name), String.join("\n", lines));
  }

  @Test
  void comparesTheMedianRunOfEachWorkloadAndTarget() throws Exception {
    Path a =
        file(
            "a.json",
            "some log line",
            run("felix", "W1", 100, 50),
            run("felix", "W1", 300, 40),
            run("felix", "W1", 200, 45),
            run("nats", "W1", 900, 10));
    Path b = file("b.json", run("felix", "W1", 400, 30), run("felix", "W2", 1, 1));
    Path html = dir.resolve("chart.html");

    int exit =
        CliHarness.run(
            out, err, "bench", "compare", a.toString(), b.toString(), "--html", html.toString());

    assertThat(exit).as(err.toString()).isZero();
    // The baseline's median W1 run (200/s, p99 45) against B's only run; nats appears in A only.
    assertThat(out.toString())
        .contains("W1 felix")
        .containsPattern("deliveries/s\\s+200\\.0\\s+400\\.0\\s+\\+100\\.0%\\s+better")
        .containsPattern("p99 us\\s+45\\.0\\s+30\\.0\\s+-33\\.3%\\s+better")
        .doesNotContain("W1 nats")
        .doesNotContain("W2");
    assertThat(Files.readString(html)).contains("<svg", "W1 felix", "deliveries/s");
  }

  @Test
  void fixedRateRunsAreSummarisedByTheirMedianP99AndCpuIsCompared() throws Exception {
    // Same rate, so throughput cannot order them: the p99 median is the 45 us run (CPU 9 s).
    Path a =
        file(
            "a.json",
            fixedRateRun(20_001, 80, 8),
            fixedRateRun(19_999, 45, 9),
            fixedRateRun(20_000, 30, 7));
    Path b = file("b.json", fixedRateRun(20_000, 40, 6));

    int exit = CliHarness.run(out, err, "bench", "compare", a.toString(), b.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .containsPattern("p99 us\\s+45\\.0\\s+40\\.0")
        .containsPattern("process CPU s\\s+9\\.0\\s+6\\.0\\s+-33\\.3%\\s+better");
  }

  /** A W3 run at 20,000 msg/s: {@link #run} with the rate and the process's CPU. */
  private static String fixedRateRun(double throughput, double p99, double cpuSeconds) {
    String base = run("felix", "W3", throughput, p99);
    return base.substring(0, base.length() - 1)
        + String.format(
            java.util.Locale.ROOT,
            ",\"ratePerSecond\":20000,\"processCpuSeconds\":%.1f}",
            cpuSeconds);
  }

  @Test
  void costPerMessageIsComparedAndAnUnknownFigureIsLeftOut() throws Exception {
    Path a = file("a.json", withCosts(run("felix", "W3", 20_000, 40), "5.4", "10.5"));
    Path b = file("b.json", withCosts(run("felix", "W3", 20_000, 40), "4.2", "null"));

    int exit = CliHarness.run(out, err, "bench", "compare", a.toString(), b.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .containsPattern("datagrams per message\\s+5\\.4\\s+4\\.2\\s+-22\\.2%\\s+better")
        .doesNotContain("wake-ups per message"); // B's is null: not a zero to compare with
  }

  private static String withCosts(String run, String datagrams, String wakeups) {
    return run.substring(0, run.length() - 1)
        + ",\"datagramsPerMessage\":"
        + datagrams
        + ",\"wakeupsPerMessage\":"
        + wakeups
        + "}";
  }

  @Test
  void filesWithNothingInCommonAreAnError() throws Exception {
    Path a = file("a.json", run("felix", "W1", 1, 1));
    Path b = file("b.json", run("felix", "W3", 1, 1));
    assertThat(CliHarness.run(out, err, "bench", "compare", a.toString(), b.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("no workload appears in both files");
  }
}
