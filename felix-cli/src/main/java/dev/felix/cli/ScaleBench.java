package dev.felix.cli;

import dev.felix.client.FelixOptions;
import dev.felix.loadgen.BrokerGauges;
import dev.felix.loadgen.ScaleResult;
import dev.felix.loadgen.ScaleRunner;
import dev.felix.loadgen.ScaleShape;
import dev.felix.loadgen.Slo;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * W6 of BENCH.md from the command line: without {@code --server}, every run starts a broker in a
 * JVM of its own ({@link BrokerProcess}, memory streams, defaults except the stream count) so that
 * its RSS, heap and CPU are the broker's alone; with {@code --server}, the broker's metrics are
 * read from {@code --metrics HOST:PORT} when given.
 */
final class ScaleBench {
  /**
   * Settings the broker needs for the shape and nothing else: enough streams (the default cap is
   * 1,024) and enough concurrent QUIC streams per connection for its subscriptions.
   */
  static Map<String, String> brokerSettings(ScaleShape shape) {
    return Map.of(
        "FELIX_STREAMS_MAX", Integer.toString(Math.max(1024, shape.streams())),
        "FELIX_QUIC_MAX_STREAMS",
            Integer.toString(Math.max(1024, shape.subscriptionsPerConnection() + 16)));
  }

  private final PrintWriter out;
  private final PrintWriter errors;
  private final Consumer<String> progress;

  ScaleBench(PrintWriter out, PrintWriter errors, Consumer<String> progress) {
    this.out = out;
    this.errors = errors;
    this.progress = progress;
  }

  /** Runs {@code runs} times on fresh brokers; prints each run, the median and the objective. */
  List<ScaleResult> runWithOwnBroker(
      ScaleShape shape,
      int runs,
      Map<String, String> extraSettings,
      String brokerJavaOptions,
      boolean json,
      Duration drain)
      throws Exception {
    Map<String, String> settings = new java.util.HashMap<>(brokerSettings(shape));
    settings.putAll(extraSettings);
    List<String> javaOptions =
        brokerJavaOptions == null || brokerJavaOptions.isBlank()
            ? List.of()
            : Arrays.asList(brokerJavaOptions.trim().split("\\s+"));
    List<ScaleResult> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      // Resources close in reverse: the broker process stops before its directory is deleted.
      try (BenchDataDir dataDir = BenchDataDir.create("felix-bench-w6", errors);
          BrokerProcess broker = BrokerProcess.start(dataDir.path(), settings, javaOptions)) {
        ScaleRunner runner =
            new ScaleRunner(
                broker.clientOptions(), new BrokerGauges(broker.httpAddress()), progress);
        results.add(report(run, runner.run(shape, drain), json));
      }
    }
    return results;
  }

  /** Runs against a broker somebody else started. */
  List<ScaleResult> runAgainst(
      FelixOptions options,
      String metrics,
      ScaleShape shape,
      int runs,
      boolean json,
      Duration drain)
      throws Exception {
    BrokerGauges gauges = metrics == null ? null : new BrokerGauges(metrics);
    List<ScaleResult> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      results.add(report(run, new ScaleRunner(options, gauges, progress).run(shape, drain), json));
    }
    return results;
  }

  private ScaleResult report(int run, ScaleResult result, boolean json) {
    progress.accept("");
    out.println(json ? result.json() : "run " + run + " felix\n" + result.table());
    out.flush();
    return result;
  }

  /** The median run by p99 latency, and the RSS objective over the runs. */
  boolean summarise(List<ScaleResult> results, boolean json) {
    List<ScaleResult> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparingDouble(ScaleResult::p99Micros));
    ScaleResult median = sorted.get(sorted.size() / 2);
    if (results.size() > 1) {
      out.println(
          json
              ? median.json()
              : "median of " + results.size() + " runs (by p99)\n" + median.table());
    }
    if (median.brokerPeakRssBytes() < 0) {
      out.println("SLO W6 broker peak RSS: not measured (no broker metrics; give --metrics)");
      return true;
    }
    Slo slo = Slo.median(results.stream().map(Slo::scaleRss).toList());
    out.println(slo);
    return slo.met();
  }
}
