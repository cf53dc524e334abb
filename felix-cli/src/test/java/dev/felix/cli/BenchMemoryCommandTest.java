package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code felix bench MEM} end to end at a small scale: every workload on one broker process of its
 * own, nothing lost, a live heap read after each, and the objective computed from them.
 */
class BenchMemoryCommandTest {
  private static final Pattern STAGE_ROW =
      Pattern.compile("^(W\\S+)\\s+([\\d,]+) MiB\\s+([\\d,]+) MiB\\s+([\\d,]+) MiB\\s+(.*)$");

  @Test
  void runsEveryWorkloadOnOneBrokerAndReportsItsLiveHeapAfterEach() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit =
        CliHarness.run(
            out,
            err,
            "bench",
            "MEM",
            "--messages",
            "5000",
            "--duration",
            "1",
            "--rate",
            "1000",
            "--connections",
            "2",
            "--streams",
            "5",
            // Budgets of 32 MiB each, so that filling them (the last stage) takes a second.
            "--broker-setting",
            "FELIX_STREAMS_MEMORY_MAX_BYTES=33554432",
            "--broker-setting",
            "FELIX_CACHES_MAX_BYTES=33554432",
            "--broker-java-opts",
            "-Xmx192m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError");

    assertThat(exit).as("stdout: %s%nstderr: %s", out, err).isZero();
    List<Matcher> rows =
        out.toString().lines().map(STAGE_ROW::matcher).filter(Matcher::matches).toList();
    assertThat(rows.stream().map(row -> row.group(1)))
        .containsExactly("W1", "W2", "W3", "W3-10", "W4", "W5", "W6", "W7");
    for (Matcher row : rows) {
      long live = mib(row.group(2));
      assertThat(live).as(row.group()).isPositive().isLessThan(192);
      assertThat(mib(row.group(4))).as("RSS peak: " + row.group()).isPositive();
      assertThat(row.group(5))
          .as(row.group())
          .contains(
              switch (row.group(1)) {
                case "W4" -> " 0 errors";
                case "W7" -> "lost 0";
                default -> " 0 lost";
              })
          .doesNotContain("FAILED");
    }
    // Nothing is deleted between workloads, so the live data never shrinks by much: W1's stream
    // is still there after W7.
    assertThat(mib(rows.get(7).group(2))).isGreaterThanOrEqualTo(mib(rows.get(0).group(2)));
    assertThat(rows.get(4).group(5)).contains("500 keys").contains("(0 misses)");
    // The last stage fills both budgets: the streams' until LIMIT_EXCEEDED, the caches' with one
    // new cache; the live heap then holds about their 62 MiB more, reported apart from the
    // objective.
    Matcher full =
        Pattern.compile(
                "(?m)^FULL\\s+([\\d,]+) MiB.*memory streams hold (\\d+) MiB of their 32 MiB"
                    + " budget.*until LIMIT_EXCEEDED.*a new cache of (\\d+) MiB")
            .matcher(out.toString());
    assertThat(full.find()).as(out.toString()).isTrue();
    assertThat(mib(full.group(2))).isGreaterThanOrEqualTo(31);
    assertThat(mib(full.group(3))).isGreaterThanOrEqualTo(31);
    assertThat(mib(full.group(1))).isGreaterThanOrEqualTo(mib(rows.get(7).group(2)) + 56);
    assertThat(out.toString())
        .containsPattern("with the memory-stream and cache budgets full: live heap [\\d,]+ MiB")
        .contains("broker heap max 192 MiB")
        .containsPattern("SLO MEM broker live heap vs max <= 0\\.80x: 0\\.\\d\\dx met");
  }

  @Test
  void aBrokerThatRunsOutOfHeapFailsTheRunAtOnceWithTheEndOfItsLog() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long start = System.nanoTime();

    // W1's stream would keep up to 64 MiB of records: more than this heap, with the budget of all
    // memory streams (normally half the heap) lifted so nothing refuses them first.
    int exit =
        CliHarness.run(
            out,
            err,
            "bench",
            "MEM",
            "--messages",
            "1000000",
            "--broker-setting",
            "FELIX_STREAMS_MEMORY_MAX_BYTES=1073741824",
            "--broker-java-opts",
            "-Xmx48m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError");

    assertThat(exit).as("stdout: %s%nstderr: %s", out, err).isEqualTo(1);
    assertThat(out.toString())
        .contains("the broker died during W1 (exit code 3)")
        .contains("OutOfMemoryError")
        .doesNotContain("SLO MEM");
    // Not the minutes W1's publisher would wait for a dead broker, chunk after chunk.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
  }

  @Test
  void refusesOptionsItCannotHonour() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = CliHarness.run(out, err, "bench", "MEM", "--runs", "3");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("drop --server, --json and --runs");
  }

  private static long mib(String figure) {
    return Long.parseLong(figure.replace(",", ""));
  }
}
