package dev.felix.cli;

import dev.felix.client.FelixOptions;
import dev.felix.loadgen.JitWarmup;
import dev.felix.loadgen.LoadResult;
import dev.felix.loadgen.LoadRunner;
import dev.felix.loadgen.NatsLoadRunner;
import dev.felix.loadgen.ProcessStats;
import dev.felix.loadgen.RedisPubSubLoadRunner;
import dev.felix.loadgen.ScaleResult;
import dev.felix.loadgen.ScaleShape;
import dev.felix.loadgen.Slo;
import dev.felix.loadgen.Workload;
import dev.felix.loadgen.cache.CacheLoadRunner;
import dev.felix.loadgen.cache.CacheResult;
import dev.felix.loadgen.cache.CacheTarget;
import dev.felix.loadgen.cache.CacheWorkload;
import dev.felix.loadgen.cache.FelixCacheTarget;
import dev.felix.loadgen.cache.LettuceRedisCacheTarget;
import dev.felix.loadgen.cache.RedisCacheTarget;
import dev.felix.server.FelixServer;
import dev.felix.server.config.ServerConfig;
import dev.felix.server.logging.LoggingSetup;
import dev.felix.transport.DevelopmentCertificates;
import dev.felix.wire.message.AckMode;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
      "Run a benchmark workload: W1 (1->1 throughput), W2 (1->10), W3 / W3-10 (fixed 20k msg/s latency),",
      "W4 (cache: 100k keys of 1 KiB, 8 threads, 90%% get); W4 --peer redis runs Redis in the same run.",
      "W5 (W1 on a durable stream, --fsync interval|always|never, against W1 on memory in the same run).",
      "W6 (scale: 10,000 subscriptions on 100 connections, 1 msg/s each, 10 min; the broker runs in",
      "  its own JVM and its peak RSS, heap and CPU are reported; --duration, --streams, --connections).",
      "W7 (queue: 1 producer, 4 consumers in one group, 100-byte messages, ack each, 200,000 messages).",
      "MEM (memory: W1-W7 one after another on one broker process with the Helm chart's heap,",
      "  keeping every stream, the cache and the group; reports the live heap after each;",
      "  --messages, --duration, --rate, --connections, --streams size the workloads).",
      "Without --server an embedded broker is started in this process (CPU and RSS then include it).",
      "felix bench compare A B [--html FILE] compares two saved --json outputs."
    },
    subcommands = {BenchCompareCommand.class})
final class BenchCommand implements Callable<Integer> {
  /** A throughput workload warms up in slices of this fraction of its messages. */
  private static final int THROUGHPUT_SLICES = 10;

  // Optional for picocli only, so that "felix bench compare A B" reaches its sub-command; a run
  // without a workload is refused in call().
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "WORKLOAD",
      description = "W1, W2, W3, W3-10, W4, W5, W6, W7 or MEM.")
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

  @Option(
      names = "--publishers",
      description = "W1-W3: publisher connections sharing the messages and the rate (default 1).")
  Integer publishers;

  @Option(
      names = "--ack",
      paramLabel = "none|leader",
      description = "W1-W3: publisher ack mode (default leader).")
  String ackMode;

  @Option(
      names = "--batch",
      paramLabel = "RECORDS",
      description = "W1-W3: most records per publish batch (default: the client's, 1,000).")
  Integer batchRecords;

  @Option(
      names = "--durable",
      description =
          "W1-W3 and W6: the broker the bench starts keeps streams durable"
              + " (FELIX_STREAM_STORAGE=durable; --fsync sets the policy).")
  boolean durable;

  @Option(names = "--rate", description = "Fixed publish rate in msg/s (turns on latency mode).")
  Integer rate;

  @Option(
      names = "--duration",
      description = "Seconds of a fixed-rate run (default 10; W6: 600, as BENCH.md).")
  Integer duration;

  @Option(
      names = "--connections",
      description = "W6: subscriber connections (default 100, 100 subscriptions each).")
  Integer connections;

  @Option(
      names = "--streams",
      description =
          "W6: streams the subscriptions spread over (default 100: every connection subscribes to"
              + " every stream; 10000: a stream per subscription).")
  Integer streams;

  @Option(
      names = "--metrics",
      paramLabel = "HOST:PORT",
      description = "W6 with --server: the broker's HTTP listener, to read its RSS, heap and CPU.")
  String metrics;

  @Option(
      names = "--admin",
      paramLabel = "HOST:PORT",
      description =
          "With --server: the broker's HTTP address; each run's stream is deleted there once the"
              + " run is over, as on the embedded broker (needs --token with authentication on)."
              + " Without it the runs' streams (and one warm-up stream) stay on the broker.")
  String admin;

  @Option(
      names = "--token",
      paramLabel = "JWT",
      defaultValue = "${env:FELIX_ADMIN_TOKEN}",
      description = "Bearer token for --admin (default: $FELIX_ADMIN_TOKEN).")
  String token;

  @Option(
      names = "--broker-setting",
      paramLabel = "NAME=VALUE",
      description =
          "A setting of the broker the bench starts (repeatable), e.g."
              + " --broker-setting FELIX_QUIC_EVENT_LOOPS=1; see docs/configuration.md.")
  Map<String, String> brokerSettings = new java.util.LinkedHashMap<>();

  @Option(
      names = "--broker-java-opts",
      paramLabel = "FLAGS",
      description =
          "W6 and MEM: JVM flags of the broker process it starts (default: W6 none, as felix"
              + " server; MEM the Helm chart's, "
              + MemoryBench.CHART_JAVA_OPTIONS
              + ").")
  String brokerJavaOptions;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      description =
          "W1-W4: seconds of the same load, not measured, before the first run (W4: before"
              + " every run; JIT, connection set-up), then more while the JIT compiler is still"
              + " busy (2 s, or a tenth of the messages, at a time; at most 20 s more); 0 for"
              + " none.")
  int warmupSeconds;

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

  @Option(
      names = "--peer",
      paramLabel = "redis",
      description =
          "Also run the workload against its peer, alternating with Felix run by run:"
              + " nats (W1-W3), redis (W4; W1 and W2: Redis pub/sub).")
  String peer;

  @Option(
      names = "--nats",
      paramLabel = "URL",
      defaultValue = "nats://127.0.0.1:4222",
      description = "NATS for --peer nats (default: ${DEFAULT-VALUE}).")
  String nats;

  @Option(
      names = "--redis",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:6379",
      description = "Redis for --peer redis (default: ${DEFAULT-VALUE}).")
  String redis;

  @Option(
      names = "--redis-client",
      paramLabel = "CLIENT",
      defaultValue = "jedis",
      description =
          "Java client for --peer redis: jedis (a socket per thread; the target's peer) or lettuce"
              + " (one connection on an event loop, the Felix client's shape; default:"
              + " ${DEFAULT-VALUE}).")
  String redisClient;

  @Option(
      names = "--peer-pid",
      paramLabel = "PID",
      description =
          "Process id of the --peer server on this machine: its CPU and RSS are printed after each"
              + " of its runs (scripts/bench-peers.sh passes it).")
  Long peerPid;

  @Option(names = "--threads", description = "W4: client threads (default 8).")
  Integer threads;

  @Option(
      names = "--cache-streams",
      description = "W4: request streams the Felix client spreads cache calls over (default 1).")
  Integer cacheStreams;

  @Option(
      names = "--fsync",
      defaultValue = "interval",
      description = "W5: fsync policy of the durable stream (always, interval, never).")
  String fsync;

  @Option(
      names = "--check-slo",
      description =
          "Exit with 3 when a service-level objective of docs/slo.md is not met (they are"
              + " printed either way).")
  boolean checkSlo;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Prints each objective (median over the runs) and says whether all were met. */
  private boolean reportSlos(PrintWriter out, List<List<Slo>> perRun) {
    boolean met = true;
    for (int i = 0; !perRun.isEmpty() && i < perRun.get(0).size(); i++) {
      List<Slo> runsOfOne = new ArrayList<>();
      for (List<Slo> run : perRun) {
        runsOfOne.add(run.get(i));
      }
      Slo slo = Slo.median(runsOfOne);
      out.println(slo);
      met &= slo.met();
    }
    return met;
  }

  /** The exit code: 1 for loss or errors, else 3 for a missed objective under --check-slo. */
  private int exitCode(boolean clean, boolean slosMet) {
    if (!clean) {
      return 1;
    }
    return checkSlo && !slosMet ? 3 : 0;
  }

  @Override
  public Integer call() throws Exception {
    if (workloadName == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required parameter: 'WORKLOAD' (or: bench compare A B)");
    }
    if ("W4".equalsIgnoreCase(workloadName)) {
      return runCache();
    }
    if ("W5".equalsIgnoreCase(workloadName)) {
      return runDurableAgainstMemory();
    }
    if ("W7".equalsIgnoreCase(workloadName)) {
      return runQueue();
    }
    if ("W6".equalsIgnoreCase(workloadName)) {
      return runScale();
    }
    if ("MEM".equalsIgnoreCase(workloadName)) {
      return runMemory();
    }
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
      workload = workload.withRate(rate, duration == null ? 10 : duration);
    }
    if (publishers != null) {
      workload = workload.withPublishers(publishers);
    }
    if (batchRecords != null) {
      workload = workload.withBatchRecords(batchRecords);
    }
    if (ackMode != null) {
      workload =
          workload.withAckMode(
              switch (ackMode.toLowerCase(java.util.Locale.ROOT)) {
                case "none" -> AckMode.NONE;
                case "leader" -> AckMode.LEADER;
                default ->
                    throw new CommandLine.ParameterException(
                        spec.commandLine(), "--ack must be none or leader: " + ackMode);
              });
    }
    applyDurableFlag();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Checked before a broker starts: a refused --peer costs nothing.
    PeerRunner peerRunner = peerRunner(workload, line -> err.print("\r" + line + "   "));
    FelixServer embedded = null;
    BenchDataDir dataDir = null;
    try {
      FelixOptions.Builder options = FelixOptions.builder();
      if (server == null) {
        dataDir = BenchDataDir.create("felix-bench", err);
        embedded = startEmbedded(dataDir.path(), Map.of());
        toEmbedded(options, embedded, dataDir.path());
      } else {
        remote(options);
      }
      LoadRunner runner = new LoadRunner(options.build(), line -> err.print("\r" + line + "   "));
      if (embedded != null) {
        FelixServer broker = embedded;
        runner.afterEachRun(stream -> BenchStreams.delete(broker, stream, err));
      } else if (admin != null) {
        runner.afterEachRun(stream -> BenchStreams.delete(admin, token, stream, err));
      } else {
        err.println(
            "note: each run's stream (and one warm-up stream) stays on "
                + server
                + " (a memory stream holds up to its max_bytes); --admin HOST:PORT deletes them");
      }
      if (warmupSeconds > 0) {
        warmUp(runner, peerRunner, workload);
      }
      List<LoadResult> results = new ArrayList<>();
      List<LoadResult> peerResults = new ArrayList<>();
      List<List<Slo>> slos = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        LoadResult result = runner.run(workload, Duration.ofSeconds(timeoutSeconds));
        err.println();
        results.add(result);
        out.println(json ? result.json() : "run " + run + " felix\n" + result.table());
        if (peerRunner != null) {
          ProcessStats peerBefore = peerStats();
          LoadResult peerResult = peerRunner.run(workload, Duration.ofSeconds(timeoutSeconds));
          err.println();
          peerResults.add(peerResult);
          String name = peerRunner.name();
          out.println(
              json ? peerResult.json(name) : "run " + run + " " + name + "\n" + peerResult.table());
          // under its run's table, not above it
          printPeerCost(out, peerBefore, name + "-server");
          out.println(ratio(workload, result, peerResult, name));
          slos.add(
              workload.fixedRate()
                  ? List.of(
                      Slo.tailLatency(workload, result),
                      Slo.p99VsNats(workload, result, peerResult))
                  : List.of(
                      Slo.throughputVsPeer(workload, result, peerResult, peerRunner.label())));
        } else if (workload.fixedRate()) {
          slos.add(List.of(Slo.tailLatency(workload, result)));
        }
        out.flush();
      }
      if (runs > 1) {
        results.sort(medianOrder(workload));
        LoadResult median = results.get(results.size() / 2);
        out.println(
            json
                ? median.json()
                : "median of "
                    + runs
                    + " runs (by "
                    + medianKey(workload)
                    + ")\n"
                    + median.table());
      }
      if (peerRunner != null && runs > 1) {
        peerResults.sort(medianOrder(workload));
        LoadResult median = peerResults.get(peerResults.size() / 2);
        out.println(
            json
                ? median.json(peerRunner.name())
                : peerRunner.name()
                    + ": median of "
                    + runs
                    + " runs (by "
                    + medianKey(workload)
                    + ")\n"
                    + median.table());
      }
      boolean slosMet = reportSlos(out, slos);
      return exitCode(results.stream().allMatch(result -> result.lost() == 0), slosMet);
    } finally {
      if (embedded != null) {
        embedded.shutdown();
      }
      if (dataDir != null) {
        dataDir.close();
      }
    }
  }

  /**
   * Runs the workload unmeasured on both sides until the JIT is done with it: a cold JVM turns the
   * first run's tail into JIT time (fixed rate) or halves its throughput (W1 and W2 measured at
   * about half of runs 2-3 in every invocation). First {@code --warmup} seconds, then slice after
   * slice while the compiler is still busy ({@link JitWarmup#continueWhileBusy}).
   */
  private void warmUp(LoadRunner runner, PeerRunner peer, Workload workload) throws Exception {
    try {
      warmUpUntilSettled(runner, peer, workload);
    } finally {
      runner.endWarmUp();
    }
  }

  private void warmUpUntilSettled(LoadRunner runner, PeerRunner peer, Workload workload)
      throws Exception {
    long start = System.nanoTime();
    JitWarmup jit = JitWarmup.ofThisJvm();
    Workload slice;
    if (workload.fixedRate()) {
      warmUpSlice(runner, peer, workload.withRate(workload.ratePerSecond(), warmupSeconds));
      slice = workload.withRate(workload.ratePerSecond(), JitWarmup.SLICE_SECONDS);
    } else {
      slice = throughputSlice(workload);
      do {
        warmUpSlice(runner, peer, slice);
      } while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(warmupSeconds));
    }
    double lastFraction = jit.continueWhileBusy(() -> warmUpSlice(runner, peer, slice));
    PrintWriter err = spec.commandLine().getErr();
    err.println();
    err.println(
        JitWarmup.doneLine((System.nanoTime() - start) / 1e9, lastFraction) + "; measuring");
  }

  /** A throughput workload's warm-up slice: a tenth of its messages, a fraction of a second. */
  static Workload throughputSlice(Workload workload) {
    return workload.withMessages(Math.max(1, workload.totalMessages() / THROUGHPUT_SLICES));
  }

  /** One warm-up slice, Felix then the peer if any. */
  private void warmUpSlice(LoadRunner runner, PeerRunner peer, Workload slice) throws Exception {
    runner.warmUp(slice, Duration.ofSeconds(timeoutSeconds));
    if (peer != null) {
      peer.run(slice, Duration.ofSeconds(timeoutSeconds));
    }
  }

  /**
   * The order whose middle run a summary quotes: throughput, or p99 latency for fixed-rate runs
   * (which all deliver at the same rate, so their throughput says nothing).
   */
  private static Comparator<LoadResult> medianOrder(Workload workload) {
    return workload.fixedRate()
        ? Comparator.comparingDouble(LoadResult::p99Micros)
        : Comparator.comparingDouble(LoadResult::deliveriesPerSecond);
  }

  private static String medianKey(Workload workload) {
    return workload.fixedRate() ? "p99 latency" : "deliveries/s";
  }

  /** Felix against the peer in one run: throughput for W1/W2, tail latency for fixed rates. */
  private static String ratio(Workload workload, LoadResult felix, LoadResult peer, String name) {
    if (workload.fixedRate()) {
      return String.format(
          java.util.Locale.ROOT,
          "ratio felix/%s: p99 %.2fx, p99.9 %.2fx (lower is better)",
          name,
          felix.p99Micros() / peer.p99Micros(),
          felix.p999Micros() / peer.p999Micros());
    }
    return String.format(
        java.util.Locale.ROOT,
        "ratio felix/%s: deliveries/s %.2fx",
        name,
        felix.deliveriesPerSecond() / peer.deliveriesPerSecond());
  }

  /** A peer's run of a workload (NatsLoadRunner::run, RedisPubSubLoadRunner::run). */
  private interface PeerRun {
    LoadResult run(Workload workload, Duration timeout) throws Exception;
  }

  /**
   * A peer's driver for W1-W3: {@code name} as in the output ("nats"), {@code label} as in an
   * objective ("NATS").
   */
  private record PeerRunner(String name, String label, PeerRun driver) {
    LoadResult run(Workload workload, Duration timeout) throws Exception {
      return driver.run(workload, timeout);
    }
  }

  /**
   * The {@code --peer} driver for a W1-W3 workload, or null without one: NATS core for all of them,
   * Redis pub/sub for the throughput ones (BENCH.md's second peer for W1 and W2).
   */
  private PeerRunner peerRunner(Workload workload, java.util.function.Consumer<String> progress) {
    if (peer == null) {
      return null;
    }
    boolean natsPeer = "nats".equalsIgnoreCase(peer);
    boolean redisPeer = "redis".equalsIgnoreCase(peer);
    if (!natsPeer && !(redisPeer && !workload.fixedRate())) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--peer for "
              + workload.name()
              + " must be nats"
              + (workload.fixedRate() ? "" : " or redis (pub/sub)"));
    }
    if (workload.publishers() > 1 || durable) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "the peer drivers run one publisher on memory pub/sub: drop --publishers and"
              + " --durable to compare with them");
    }
    if (natsPeer) {
      return new PeerRunner("nats", "NATS", new NatsLoadRunner(nats, progress)::run);
    }
    InetSocketAddress address = redisAddress();
    return new PeerRunner(
        "redis",
        "Redis",
        new RedisPubSubLoadRunner(address.getHostString(), address.getPort(), progress)::run);
  }

  /**
   * {@code --redis} as a host and a port, for every Redis peer; a malformed value is refused as a
   * parameter error before anything starts.
   */
  private InetSocketAddress redisAddress() {
    int colon = redis.lastIndexOf(':');
    int port = -1;
    if (colon > 0) {
      try {
        port = Integer.parseInt(redis.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (port < 1 || port > 65_535) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--redis must be HOST:PORT, not '" + redis + "'");
    }
    return InetSocketAddress.createUnresolved(redis.substring(0, colon), port);
  }

  /**
   * W5: W1 on a durable stream (fsync {@code --fsync}) against W1 on a memory stream, each in a
   * fresh embedded broker, alternating run by run; reports both, the medians and the ratio.
   */
  private int runDurableAgainstMemory() throws Exception {
    if (server != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "W5 starts its own brokers (memory and durable): drop --server");
    }
    Workload workload = Workload.named("W1");
    if (messages != null) {
      workload = workload.withMessages(messages);
    }
    if (payloadBytes != null) {
      workload = workload.withPayloadBytes(payloadBytes);
    }
    PrintWriter out = spec.commandLine().getOut();
    Map<String, String> durable =
        Map.of("FELIX_STREAM_STORAGE", "durable", "FELIX_STREAM_FSYNC", fsync);
    List<LoadResult> memoryRuns = new ArrayList<>();
    List<LoadResult> durableRuns = new ArrayList<>();
    List<List<Slo>> slos = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      // Alternate which goes first, so JIT warm-up favours neither side.
      LoadResult memory;
      LoadResult onDisk;
      if (run % 2 == 1) {
        memory = runEmbeddedOnce(workload, Map.of());
        onDisk = runEmbeddedOnce(workload, durable);
      } else {
        onDisk = runEmbeddedOnce(workload, durable);
        memory = runEmbeddedOnce(workload, Map.of());
      }
      memoryRuns.add(memory);
      durableRuns.add(onDisk);
      slos.add(
          List.of(Slo.durableVsMemory(onDisk.deliveriesPerSecond(), memory.deliveriesPerSecond())));
      out.printf(
          java.util.Locale.ROOT,
          "run %d: memory %,.0f msg/s (ack p50/p99 %.0f/%.0f us), durable (fsync %s) %,.0f msg/s"
              + " (ack p50/p99 %.0f/%.0f us), ratio %.2fx%n",
          run,
          memory.deliveriesPerSecond(),
          memory.acks().p50Micros(),
          memory.acks().p99Micros(),
          fsync,
          onDisk.deliveriesPerSecond(),
          onDisk.acks().p50Micros(),
          onDisk.acks().p99Micros(),
          onDisk.deliveriesPerSecond() / memory.deliveriesPerSecond());
      out.flush();
    }
    memoryRuns.sort(Comparator.comparingDouble(LoadResult::deliveriesPerSecond));
    durableRuns.sort(Comparator.comparingDouble(LoadResult::deliveriesPerSecond));
    LoadResult memoryMedian = memoryRuns.get(runs / 2);
    LoadResult durableMedian = durableRuns.get(runs / 2);
    out.println("median of " + runs + " run(s): memory");
    out.print(json ? memoryMedian.json() + "\n" : memoryMedian.table());
    out.println("durable, fsync " + fsync);
    out.print(json ? durableMedian.json() + "\n" : durableMedian.table());
    out.printf(
        java.util.Locale.ROOT,
        "ratio durable/memory: %.2fx%n",
        durableMedian.deliveriesPerSecond() / memoryMedian.deliveriesPerSecond());
    boolean lossless =
        memoryRuns.stream().allMatch(r -> r.lost() == 0)
            && durableRuns.stream().allMatch(r -> r.lost() == 0);
    return exitCode(lossless, reportSlos(out, slos));
  }

  /**
   * W7: a consumer group under load in an embedded broker (a fresh one per run, memory stream, one
   * shard); prints each run and the median by acked msg/s. Exit code 1 when any run lost a record.
   */
  private int runQueue() throws Exception {
    if (server != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "W7 starts its own broker (it reads the group's counters): drop --server");
    }
    int count = messages != null ? messages.intValue() : 200_000;
    int members = subscribers != null ? subscribers : 4;
    int size = payloadBytes != null ? payloadBytes : 100;
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<QueueBench.Result> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      // The directory closes last: after the broker stopped, or when it failed to start.
      try (BenchDataDir dataDir = BenchDataDir.create("felix-bench", err)) {
        FelixServer embedded = startEmbedded(dataDir.path(), Map.of());
        try {
          FelixOptions options =
              toEmbedded(FelixOptions.builder(), embedded, dataDir.path()).build();
          QueueBench.Result result =
              new QueueBench(
                      options,
                      "127.0.0.1:" + embedded.httpAddress().getPort(),
                      line -> err.print("\r" + line + "   "))
                  .run(count, size, members, Duration.ofSeconds(timeoutSeconds));
          err.println();
          results.add(result);
          out.println("run " + run + ": " + result.line());
          out.flush();
        } finally {
          embedded.shutdown();
        }
      }
    }
    results.sort(Comparator.comparingDouble(QueueBench.Result::perSecond));
    out.println("median of " + runs + " run(s): " + results.get(results.size() / 2).line());
    return results.stream().allMatch(result -> result.lost() == 0) ? 0 : 1;
  }

  /**
   * W6: thousands of subscriptions at a trickle each; the broker runs in a process of its own so
   * that its RSS, heap and CPU are reported apart from the load generator's.
   */
  private int runScale() throws Exception {
    applyDurableFlag();
    ScaleShape shape = ScaleShape.W6;
    if (connections != null) {
      shape = shape.withConnections(connections);
    }
    if (streams != null) {
      shape = shape.withStreams(streams);
    }
    if (duration != null) {
      shape = shape.withDuration(Math.min(shape.warmupSeconds(), duration), duration);
    }
    PrintWriter err = spec.commandLine().getErr();
    ScaleBench bench =
        new ScaleBench(spec.commandLine().getOut(), err, line -> err.print("\r" + line + "   "));
    Duration drain = Duration.ofSeconds(timeoutSeconds);
    List<ScaleResult> results;
    if (server == null) {
      results = bench.runWithOwnBroker(shape, runs, brokerSettings, brokerJavaOptions, json, drain);
    } else {
      FelixOptions.Builder options = FelixOptions.builder();
      remote(options);
      results = bench.runAgainst(options.build(), metrics, shape, runs, json, drain);
    }
    boolean met = bench.summarise(results, json);
    return exitCode(
        results.stream().allMatch(result -> result.lost() == 0 && result.publishErrors() == 0),
        met);
  }

  /**
   * MEM: the memory objective, every workload on one broker process of its own ({@link
   * MemoryBench}); exit code 1 when the broker died or a workload lost data.
   */
  private int runMemory() throws Exception {
    if (server != null || json || runs != 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "MEM starts its own broker and runs once, printing a table: drop --server, --json and"
              + " --runs");
    }
    MemoryBench.Size size = MemoryBench.Size.BENCH;
    ScaleShape scale = size.scale();
    if (connections != null) {
      scale = scale.withConnections(connections);
    }
    if (streams != null) {
      scale = scale.withStreams(streams);
    }
    int seconds = duration != null ? duration : size.seconds();
    scale = scale.withDuration(Math.min(scale.warmupSeconds(), seconds), seconds);
    size =
        new MemoryBench.Size(
            messages != null ? messages : size.messages(),
            seconds,
            rate != null ? rate : size.rate(),
            scale);
    PrintWriter err = spec.commandLine().getErr();
    MemoryBench bench =
        new MemoryBench(
            spec.commandLine().getOut(),
            err,
            line -> err.print("\r" + line + "   "),
            size,
            Duration.ofSeconds(timeoutSeconds));
    MemoryBench.Outcome outcome =
        bench.run(
            brokerJavaOptions == null || brokerJavaOptions.isBlank()
                ? MemoryBench.CHART_JAVA_OPTIONS
                : brokerJavaOptions,
            brokerSettings);
    return exitCode(outcome.clean(), outcome.slo() == null || outcome.slo().met());
  }

  private LoadResult runEmbeddedOnce(Workload workload, Map<String, String> settings)
      throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    try (BenchDataDir dataDir = BenchDataDir.create("felix-bench", err)) {
      FelixServer embedded = startEmbedded(dataDir.path(), settings);
      try {
        FelixOptions options = toEmbedded(FelixOptions.builder(), embedded, dataDir.path()).build();
        LoadResult result =
            new LoadRunner(options, line -> err.print("\r" + line + "   "))
                .run(workload, Duration.ofSeconds(timeoutSeconds));
        err.println();
        return result;
      } finally {
        embedded.shutdown();
      }
    }
  }

  private FelixServer startEmbedded(Path dataDir, Map<String, String> extra)
      throws java.io.IOException {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("FELIX_DATA_DIR", dataDir.toString());
    settings.put("FELIX_QUIC_BIND", "127.0.0.1:0");
    settings.put("FELIX_HTTP_BIND", "127.0.0.1:0");
    settings.put("FELIX_LOG_LEVEL", "warn");
    settings.put("FELIX_LOG_TARGET", "stderr"); // stdout carries the results (--json)
    settings.putAll(extra);
    settings.putAll(brokerSettings);
    ServerConfig config = ServerConfig.load(settings);
    // Settings alone do not move the log: felix server applies them with LoggingSetup, and so must
    // the bench, or the broker's lines land on stdout between the --json results.
    LoggingSetup.apply(config.logging());
    return FelixServer.start(config);
  }

  /** The peer's CPU and memory now, or null without {@code --peer-pid} (or when unreadable). */
  private ProcessStats peerStats() {
    if (peerPid == null) {
      return null;
    }
    try {
      return ProcessStats.of(peerPid);
    } catch (java.io.IOException | RuntimeException e) {
      spec.commandLine().getErr().println("cannot read process " + peerPid + ": " + e);
      return null;
    }
  }

  private void printPeerCost(PrintWriter out, ProcessStats before, String name) {
    ProcessStats after = before == null ? null : peerStats();
    if (after != null && !json) {
      out.println(after.since(before, name));
    }
  }

  /**
   * {@code --durable}: the broker the bench starts keeps streams durable (unless set otherwise).
   */
  private void applyDurableFlag() {
    if (durable) {
      brokerSettings.putIfAbsent("FELIX_STREAM_STORAGE", "durable");
      brokerSettings.putIfAbsent("FELIX_STREAM_FSYNC", fsync);
    }
  }

  /** Points {@code options} at a broker this bench started on {@code dataDir}. */
  private static FelixOptions.Builder toEmbedded(
      FelixOptions.Builder options, FelixServer embedded, Path dataDir) {
    return options
        .serverAddress("127.0.0.1:" + embedded.quicAddress().getPort())
        .caFile(DevelopmentCertificates.caCertificateFile(dataDir));
  }

  private void remote(FelixOptions.Builder options) {
    options.serverAddress(server).insecure(insecure);
    if (caFile != null) {
      options.caFile(caFile);
    }
  }

  /**
   * W4: the cache workload against Felix and, with {@code --peer redis}, against Redis, run after
   * run alternately so both see the same machine conditions; reports each run, the medians and the
   * ratio. Embedded: the broker's auto-created cache is sized to hold every key (512 MiB).
   */
  private int runCache() throws Exception {
    CacheWorkload workload =
        CacheWorkload.W4.withDuration(duration == null ? 10 : duration).withWarmup(warmupSeconds);
    if (threads != null) {
      workload = workload.withThreads(threads);
    }
    boolean redisPeer = "redis".equalsIgnoreCase(peer);
    if (peer != null && !redisPeer) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--peer must be redis");
    }
    if (!"jedis".equals(redisClient) && !"lettuce".equals(redisClient)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--redis-client must be jedis or lettuce");
    }
    InetSocketAddress redisAddress = redisPeer ? redisAddress() : null;
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FelixServer embedded = null;
    BenchDataDir dataDir = null;
    try {
      FelixOptions.Builder options = FelixOptions.builder();
      if (cacheStreams != null) {
        options.cacheStreams(cacheStreams);
      }
      if (server == null) {
        dataDir = BenchDataDir.create("felix-bench", err);
        String bytes = Long.toString(512L * 1024 * 1024);
        embedded =
            startEmbedded(
                dataDir.path(),
                Map.of("FELIX_CACHE_MAX_BYTES", bytes, "FELIX_CACHES_MAX_BYTES", bytes));
        toEmbedded(options, embedded, dataDir.path());
      } else {
        remote(options);
      }
      CacheLoadRunner runner = new CacheLoadRunner(line -> err.print("\r" + line + "   "));
      List<CacheResult> felixRuns = new ArrayList<>();
      List<CacheResult> peerRuns = new ArrayList<>();
      List<List<Slo>> slos = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        try (FelixCacheTarget felix = new FelixCacheTarget(options.build(), "bench-w4")) {
          felixRuns.add(report(out, err, run, runner.run(workload, felix)));
        }
        if (redisPeer) {
          try (CacheTarget target = redisTarget(redisAddress)) {
            ProcessStats peerBefore = peerStats();
            OptionalLong redisPid =
                peerPid == null ? OptionalLong.empty() : OptionalLong.of(peerPid);
            CacheResult redisRun = report(out, err, run, runner.run(workload, target, redisPid));
            printPeerCost(out, peerBefore, "redis-server (whole run: preload, warm-up, measured)");
            peerRuns.add(redisRun);
            CacheResult felixRun = felixRuns.get(felixRuns.size() - 1);
            if (!lettuce()) { // Lettuce is a diagnostic peer: the objectives are set against Jedis
              slos.add(
                  List.of(
                      Slo.cacheThroughputVsRedis(felixRun.opsPerSecond(), redisRun.opsPerSecond()),
                      Slo.cacheP99VsRedis(felixRun.getP99Micros(), redisRun.getP99Micros())));
            }
          }
        }
      }
      CacheResult felixMedian = median(felixRuns);
      out.println("median of " + runs + " run(s) (by ops/s)");
      out.print(json ? felixMedian.json() + "\n" : felixMedian.table());
      if (redisPeer) {
        CacheResult redisMedian = median(peerRuns);
        out.print(json ? redisMedian.json() + "\n" : redisMedian.table());
        out.printf(
            java.util.Locale.ROOT,
            "ratio felix/%s: ops/s %.2fx, get p99 %.2fx (lower is better)%n",
            redisMedian.target(),
            felixMedian.opsPerSecond() / redisMedian.opsPerSecond(),
            felixMedian.getP99Micros() / redisMedian.getP99Micros());
        if (lettuce()) {
          out.println(
              "(W4's objectives are checked against Redis through Jedis, the default client)");
        }
      }
      return exitCode(
          felixRuns.stream().allMatch(r -> r.errors() == 0 && r.misses() == 0),
          reportSlos(out, slos));
    } finally {
      if (embedded != null) {
        embedded.shutdown();
      }
      if (dataDir != null) {
        dataDir.close();
      }
    }
  }

  private boolean lettuce() {
    return "lettuce".equals(redisClient);
  }

  /** The Redis peer of W4 through the chosen client (validated before the first run). */
  private CacheTarget redisTarget(InetSocketAddress address) {
    return lettuce()
        ? new LettuceRedisCacheTarget(address.getHostString(), address.getPort())
        : new RedisCacheTarget(address.getHostString(), address.getPort());
  }

  private CacheResult report(PrintWriter out, PrintWriter err, int run, CacheResult result) {
    err.println();
    out.print(json ? result.json() + "\n" : "run " + run + " " + result.table());
    out.flush();
    return result;
  }

  private static CacheResult median(List<CacheResult> results) {
    List<CacheResult> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparingDouble(CacheResult::opsPerSecond));
    return sorted.get(sorted.size() / 2);
  }
}
