package dev.felix.cli;

import dev.felix.client.FelixOptions;
import dev.felix.loadgen.LoadResult;
import dev.felix.loadgen.LoadRunner;
import dev.felix.loadgen.Workload;
import dev.felix.server.FelixServer;
import dev.felix.server.config.ServerConfig;
import dev.felix.transport.DevelopmentCertificates;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code felix bench WORKLOAD}: runs a BENCH.md workload against {@code --server} or, without it,
 * against an embedded broker in this JVM (default settings, temporary data directory, loopback
 * ports). Prints a live progress line on stderr and a summary table (or JSON) per run, and the
 * median run when {@code --runs} is above 1.
 */
@Command(
    name = "bench",
    description = {
      "Run a benchmark workload: W1 (1->1 throughput), W2 (1->10), W3 / W3-10 (fixed 20k msg/s latency).",
      "Without --server an embedded broker is started in this process (CPU and RSS then include it)."
    })
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "WORKLOAD", description = "W1, W2, W3 or W3-10.")
  String workloadName;

  @Option(
      names = "--server",
      paramLabel = "HOST:PORT",
      description = "A running broker (default: embedded).")
  String server;

  @Option(names = "--ca", paramLabel = "FILE", description = "CA certificate of --server.")
  Path caFile;

  @Option(names = "--insecure", description = "Skip certificate verification of --server.")
  boolean insecure;

  @Option(names = "--messages", description = "Override the message count (throughput workloads).")
  Long messages;

  @Option(names = "--subscribers", description = "Override the number of subscribers.")
  Integer subscribers;

  @Option(
      names = "--payload",
      paramLabel = "BYTES",
      description = "Override the payload size (>= 16).")
  Integer payloadBytes;

  @Option(names = "--rate", description = "Fixed publish rate in msg/s (turns on latency mode).")
  Integer rate;

  @Option(names = "--duration", defaultValue = "10", description = "Seconds of a fixed-rate run.")
  int durationSeconds;

  @Option(
      names = "--runs",
      defaultValue = "1",
      description = "Repeat the run; report each and the median.")
  int runs;

  @Option(names = "--json", description = "Print one JSON object per run instead of a table.")
  boolean json;

  @Option(
      names = "--timeout",
      defaultValue = "300",
      description = "Seconds to wait for deliveries per run.")
  int timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Workload workload = Workload.named(workloadName);
    if (messages != null) {
      workload = workload.withMessages(messages);
    }
    if (subscribers != null) {
      workload = workload.withSubscribers(subscribers);
    }
    if (payloadBytes != null) {
      workload = workload.withPayloadBytes(payloadBytes);
    }
    if (rate != null) {
      workload = workload.withRate(rate, durationSeconds);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FelixServer embedded = null;
    Path dataDir = null;
    try {
      FelixOptions.Builder options = FelixOptions.builder();
      if (server == null) {
        dataDir = Files.createTempDirectory("felix-bench");
        embedded =
            FelixServer.start(
                ServerConfig.load(
                    Map.of(
                        "FELIX_DATA_DIR", dataDir.toString(),
                        "FELIX_QUIC_BIND", "127.0.0.1:0",
                        "FELIX_HTTP_BIND", "127.0.0.1:0",
                        "FELIX_LOG_LEVEL", "warn")));
        options
            .serverAddress("127.0.0.1:" + embedded.quicAddress().getPort())
            .caFile(DevelopmentCertificates.caCertificateFile(dataDir));
      } else {
        options.serverAddress(server).insecure(insecure);
        if (caFile != null) {
          options.caFile(caFile);
        }
      }
      LoadRunner runner = new LoadRunner(options.build(), line -> err.print("\r" + line + "   "));
      List<LoadResult> results = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        LoadResult result = runner.run(workload, Duration.ofSeconds(timeoutSeconds));
        err.println();
        results.add(result);
        out.println(json ? result.json() : "run " + run + "\n" + result.table());
        out.flush();
      }
      if (runs > 1) {
        results.sort(Comparator.comparingDouble(LoadResult::deliveriesPerSecond));
        LoadResult median = results.get(results.size() / 2);
        out.println(
            json
                ? median.json()
                : "median of " + runs + " runs (by deliveries/s)\n" + median.table());
      }
      return results.stream().allMatch(result -> result.lost() == 0) ? 0 : 1;
    } finally {
      if (embedded != null) {
        embedded.shutdown();
      }
    }
  }
}
