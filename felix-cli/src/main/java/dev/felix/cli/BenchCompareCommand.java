package dev.felix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code felix bench compare A B}: two saved result files ({@code felix bench ... --json > A}) side
 * by side, per workload: the median run of each (by throughput) and the change, for throughput and
 * latency percentiles; {@code --html FILE} also draws them as bar charts.
 */
@Command(
    name = "compare",
    description = {
      "Compare two saved result files (felix bench ... --json > FILE): medians per workload and the"
          + " change; --html FILE draws them."
    })
final class BenchCompareCommand implements Callable<Integer> {
  /** What is compared, in order: JSON field, label, true when higher is better. */
  private record Metric(String field, String label, boolean higherIsBetter) {}

  private static final List<Metric> METRICS =
      List.of(
          new Metric("deliveriesPerSecond", "deliveries/s", true),
          new Metric("opsPerSecond", "ops/s", true),
          new Metric("p50Micros", "p50 us", false),
          new Metric("p99Micros", "p99 us", false),
          new Metric("p999Micros", "p99.9 us", false),
          new Metric("getP50Us", "get p50 us", false),
          new Metric("getP99Us", "get p99 us", false),
          new Metric("getP999Us", "get p99.9 us", false),
          new Metric("processCpuSeconds", "process CPU s", false),
          new Metric("cpuMicrosPerOp", "CPU us per op", false),
          new Metric("wakeupsPerMessage", "wake-ups per message", false),
          new Metric("datagramsPerMessage", "datagrams per message", false),
          new Metric("wakeupsPerOp", "wake-ups per op", false),
          new Metric("datagramsPerOp", "datagrams per op", false),
          new Metric("brokerPeakRssBytes", "broker peak RSS bytes", false),
          new Metric("lost", "lost", false),
          new Metric("errors", "errors", false));

  @Parameters(index = "0", paramLabel = "A", description = "The baseline results.")
  Path before;

  @Parameters(index = "1", paramLabel = "B", description = "The results to compare with it.")
  Path after;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write bar charts to FILE.")
  Path html;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Map<String, JsonNode> a = medians(before);
    Map<String, JsonNode> b = medians(after);
    PrintWriter out = spec.commandLine().getOut();
    StringBuilder charts = new StringBuilder();
    int compared = 0;
    for (Map.Entry<String, JsonNode> entry : a.entrySet()) {
      JsonNode other = b.get(entry.getKey());
      if (other == null) {
        continue;
      }
      compared++;
      out.printf(Locale.ROOT, "%s (A: %s, B: %s)%n", entry.getKey(), before, after);
      List<double[]> bars = new ArrayList<>();
      List<String> labels = new ArrayList<>();
      for (Metric metric : METRICS) {
        if (!isNumber(entry.getValue(), metric.field()) || !isNumber(other, metric.field())) {
          continue; // absent from this workload's results, or unknown (null) in either file
        }
        double x = entry.getValue().get(metric.field()).asDouble();
        double y = other.get(metric.field()).asDouble();
        double change = x == 0 ? 0 : (y - x) / x * 100;
        boolean better = metric.higherIsBetter() ? y > x : y < x;
        out.printf(
            Locale.ROOT,
            "  %-14s %14.1f %14.1f  %+7.1f%%%s%n",
            metric.label(),
            x,
            y,
            change,
            x == y ? "" : better ? "  better" : "  worse");
        labels.add(metric.label());
        bars.add(new double[] {x, y});
      }
      charts.append(BenchChart.svg(entry.getKey(), labels, bars));
    }
    if (compared == 0) {
      spec.commandLine().getErr().println("no workload appears in both files");
      return 1;
    }
    if (html != null) {
      Files.writeString(html, BenchChart.page(before + " vs " + after, charts.toString()));
      out.println("charts written to " + html);
    }
    return 0;
  }

  /**
   * Each workload's (and target's) median run: by p99 for fixed-rate runs (at a fixed rate every
   * run has the same throughput), by throughput otherwise, as {@code felix bench} picks its own.
   */
  private static Map<String, JsonNode> medians(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, List<JsonNode>> runs = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String trimmed = line.trim();
      if (!trimmed.startsWith("{")) {
        continue; // tables, progress and log lines around the JSON
      }
      JsonNode run = json.readTree(trimmed);
      if (!run.has("workload")) {
        continue;
      }
      String key =
          run.get("workload").asText()
              + (run.has("target") ? " " + run.get("target").asText() : "");
      runs.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
    }
    Map<String, JsonNode> medians = new LinkedHashMap<>();
    runs.forEach(
        (key, list) -> {
          list.sort(Comparator.comparingDouble(BenchCompareCommand::medianKey));
          medians.put(key, list.get(list.size() / 2));
        });
    return medians;
  }

  private static double medianKey(JsonNode run) {
    if (run.path("ratePerSecond").asLong() > 0) {
      return run.path("p99Micros").asDouble();
    }
    return run.has("deliveriesPerSecond")
        ? run.get("deliveriesPerSecond").asDouble()
        : run.path("opsPerSecond").asDouble();
  }

  private static boolean isNumber(JsonNode run, String field) {
    return run.has(field) && run.get(field).isNumber();
  }
}
