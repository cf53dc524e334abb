package dev.felix.cli;

import dev.felix.client.Felix;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.client.OutgoingMessage;
import dev.felix.client.PublishReceipt;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.loadgen.BrokerGauges;
import dev.felix.loadgen.BrokerMemoryWatch;
import dev.felix.loadgen.LoadResult;
import dev.felix.loadgen.LoadRunner;
import dev.felix.loadgen.ScaleResult;
import dev.felix.loadgen.ScaleRunner;
import dev.felix.loadgen.ScaleShape;
import dev.felix.loadgen.Slo;
import dev.felix.loadgen.Workload;
import dev.felix.loadgen.cache.CacheLoadRunner;
import dev.felix.loadgen.cache.CacheResult;
import dev.felix.loadgen.cache.CacheWorkload;
import dev.felix.loadgen.cache.FelixCacheTarget;
import dev.felix.wire.message.StreamRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * BENCH.md's memory objective, "with default settings the broker never exceeds its configured heap
 * under W1-W7", as one command ({@code felix bench MEM}). One broker process with the Helm chart's
 * JVM flags (a fixed heap, a direct-memory cap and exit on OutOfMemoryError) and default settings
 * runs W1 to W7 one after another. Nothing is deleted in between, as on a broker that runs for
 * weeks: every stream keeps what its bound lets it keep, the cache its values, the queue its group.
 *
 * <p>The broker's heap and RSS are sampled throughout; after each workload a full collection
 * ({@link BrokerProcess#collectGarbage}) leaves only live data in the heap, which is read next. The
 * objective is on that live heap ({@link Slo#liveHeap}); a broker that dies (running out of memory
 * exits it) or a workload that loses data fails the run.
 *
 * <p>A last stage, FULL, goes past BENCH.md to the worst case the settings allow: it fills the
 * budget of all memory streams until publishes are refused and gives the rest of the caches' budget
 * to one cache filled to its bound. Its live heap is reported apart from the objective; the broker
 * dying there fails the run too, since then the default budgets do not fit the heap.
 */
final class MemoryBench {
  /** deploy/helm's JVM flags for its default 2 GiB memory limit: heap 60%, direct memory 20%. */
  static final String CHART_JAVA_OPTIONS =
      "-Xms1228m -Xmx1228m -XX:MaxDirectMemorySize=409m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError";

  /**
   * W4's cache bound per key, the cache is created with it before W4 runs: a 1 KiB value weighs
   * about 1,190 bytes against the bound (key, value and the entry's objects), so 1,600 leaves a
   * third to spare (100,000 keys: 160 MB, inside the 256 MiB all caches share by default). An
   * auto-created cache (16 MiB) would evict most keys and turn W4's gets into misses.
   */
  static final long CACHE_BYTES_PER_KEY = 1_600;

  /**
   * Budget fill: records of W1's 100 bytes. Small records are the worst case: what a log holds
   * besides the records' bytes (batch headers, offsets, chunk slack) is larger next to them.
   */
  private static final int FILL_RECORD_BYTES = 100;

  /** Budget fill: records per new stream, 64 MiB of payload (a memory stream's default bound). */
  private static final int FILL_RECORDS_PER_STREAM = (64 << 20) / FILL_RECORD_BYTES;

  /** Budget fill: publishes in flight before the fill waits for the oldest of them. */
  private static final int FILL_WINDOW = 8_192;

  /** Budget fill: most streams it creates (the broker holds 1,024 by default). */
  private static final int FILL_MAX_STREAMS = 512;

  /** Budget fill: cache values, as W4's. */
  private static final int FILL_VALUE_BYTES = 1024;

  private static final long MIB = 1024 * 1024;

  /** The broker's heap and RSS are read this often while a workload runs. */
  private static final long SAMPLE_EVERY_MS = 200;

  private static final String CACHE = "bench-w4";
  private static final String DURABLE_STREAM = "bench-w5-durable";
  private static final String FILL_CACHE = "bench-fill";

  /** The last stage: not one of BENCH.md's workloads, so not under the objective. */
  private static final String FULL = "FULL";

  /**
   * How big the workloads are: {@code messages} for W1 and W5 (a fifth of it for W2 and W7, a tenth
   * as W4's keys, as BENCH.md's 1,000,000 / 200,000 / 100,000), {@code seconds} and {@code rate}
   * for W3, W3-10, W4 and W6, and W6's shape.
   */
  record Size(long messages, int seconds, int rate, ScaleShape scale) {
    static final Size BENCH = new Size(1_000_000, 10, 20_000, ScaleShape.W6.withDuration(10, 10));
  }

  /** What the run found: whether every workload was clean and the broker survived, and the SLO. */
  record Outcome(boolean clean, Slo slo) {}

  /** One workload's result line and whether it lost or failed anything. */
  private record StageResult(String summary, boolean clean) {}

  private interface Stage {
    StageResult run() throws Exception;
  }

  private final PrintWriter out;
  private final PrintWriter err;
  private final Consumer<String> progress;
  private final Size size;
  private final Duration timeout;

  MemoryBench(
      PrintWriter out, PrintWriter err, Consumer<String> progress, Size size, Duration timeout) {
    this.out = out;
    this.err = err;
    this.progress = progress;
    this.size = size;
    this.timeout = timeout;
  }

  /** Starts the broker with {@code javaOptions} and {@code settings}, runs every workload on it. */
  Outcome run(String javaOptions, Map<String, String> settings) throws Exception {
    List<String> flags = Arrays.asList(javaOptions.trim().split("\\s+"));
    try (BenchDataDir dataDir = BenchDataDir.create("felix-bench-mem", err);
        BrokerProcess broker = BrokerProcess.start(dataDir.path(), settings, flags)) {
      FelixOptions options = broker.clientOptions();
      BrokerGauges gauges = new BrokerGauges(broker.httpAddress());
      out.println("broker JVM: " + javaOptions.trim());
      out.println("broker settings: " + (settings.isEmpty() ? "defaults" : settings));
      out.printf(
          Locale.ROOT,
          "%-6s %10s %10s %10s  %s%n",
          "stage",
          "live heap",
          "heap peak",
          "RSS peak",
          "workload");
      out.flush();
      return runStages(broker, gauges, stages(options, broker, gauges));
    }
  }

  private Map<String, Stage> stages(
      FelixOptions options, BrokerProcess broker, BrokerGauges gauges) {
    Map<String, Stage> stages = new LinkedHashMap<>();
    LoadRunner streams = new LoadRunner(options, progress);
    stages.put("W1", () -> streamStage(streams.run(withMessages("W1", 1), timeout)));
    stages.put("W2", () -> streamStage(streams.run(withMessages("W2", 5), timeout)));
    stages.put("W3", () -> streamStage(streams.run(atRate("W3"), timeout)));
    stages.put("W3-10", () -> streamStage(streams.run(atRate("W3-10"), timeout)));
    stages.put("W4", () -> cacheStage(options, broker));
    stages.put("W5", () -> durableStage(streams, broker));
    stages.put(
        "W6",
        () -> scaleStage(new ScaleRunner(options, gauges, progress).run(size.scale, timeout)));
    stages.put(
        "W7",
        () -> {
          QueueBench.Result result =
              new QueueBench(options, broker.httpAddress(), progress)
                  .run((int) Math.max(1, size.messages / 5), 100, 4, timeout);
          return new StageResult("W7: " + result.line(), result.lost() == 0);
        });
    stages.put(
        FULL,
        () ->
            new StageResult(
                fillStreamBudget(options, gauges) + "; " + fillCacheBudget(options, broker, gauges),
                true));
    return stages;
  }

  private Outcome runStages(BrokerProcess broker, BrokerGauges gauges, Map<String, Stage> stages)
      throws Exception {
    long heapMax = gauges.sample().heapMaxBytes(); // fixed for the JVM's life
    boolean clean = true;
    long peakLive = -1;
    String peakLiveStage = "";
    long rssPeak = -1;
    long fullLive = -1;
    for (Map.Entry<String, Stage> stage : stages.entrySet()) {
      StageResult result;
      BrokerMemoryWatch during = new BrokerMemoryWatch(gauges).sampleEvery(SAMPLE_EVERY_MS);
      try {
        result = runStage(stage.getKey(), stage.getValue(), broker);
      } finally {
        during.close();
      }
      if (result == null || !broker.isAlive()) {
        reportDeath(broker, stage.getKey());
        return new Outcome(false, null);
      }
      clean &= result.clean;
      long live = liveHeap(broker, gauges);
      if (stage.getKey().equals(FULL)) {
        fullLive = live;
      } else if (live > peakLive) {
        peakLive = live;
        peakLiveStage = stage.getKey();
      }
      rssPeak = Math.max(rssPeak, during.peakRssBytes());
      out.printf(
          Locale.ROOT,
          "%-6s %10s %10s %10s  %s%n",
          stage.getKey(),
          mib(live),
          mib(during.peakHeapBytes()),
          mib(during.peakRssBytes()),
          result.summary);
      out.flush();
    }
    if (peakLive < 0 || heapMax <= 0) {
      out.println(
          "SLO MEM broker live heap vs max: not measured (no jcmd or no heap figures from"
              + " /metrics)");
      return new Outcome(clean, null);
    }
    out.printf(
        Locale.ROOT,
        "broker heap max %s; most live data %s after %s; RSS at most %s; the broker ran every"
            + " workload%n",
        mib(heapMax),
        mib(peakLive),
        peakLiveStage,
        mib(rssPeak));
    if (fullLive >= 0) {
      out.printf(
          Locale.ROOT,
          "with the memory-stream and cache budgets full: live heap %s, %.2fx the heap (not an"
              + " objective: the most the budgets let clients keep)%n",
          mib(fullLive),
          (double) fullLive / heapMax);
    }
    Slo slo = Slo.liveHeap(peakLive, heapMax);
    out.println(slo);
    return new Outcome(clean, slo);
  }

  /**
   * Runs one workload on a thread of its own while watching the broker: a workload's clients would
   * wait out their timeouts (minutes, chunk after chunk) for a broker that has died, so its death
   * ends the stage at once (the workload's thread is interrupted and left to unwind). A failure is
   * the stage's result line; the broker may still be fine.
   *
   * @return null when the broker died
   */
  private StageResult runStage(String name, Stage stage, BrokerProcess broker)
      throws InterruptedException {
    FutureTask<StageResult> task = new FutureTask<>(stage::run);
    Thread thread = new Thread(task, "bench-mem-" + name);
    thread.setDaemon(true);
    thread.start();
    while (true) {
      try {
        StageResult result = task.get(200, TimeUnit.MILLISECONDS);
        err.println();
        return result;
      } catch (TimeoutException stillRunning) {
        if (!broker.isAlive()) {
          thread.interrupt();
          err.println();
          return null;
        }
      } catch (ExecutionException e) {
        err.println();
        return new StageResult("FAILED: " + e.getCause(), false);
      }
    }
  }

  private long liveHeap(BrokerProcess broker, BrokerGauges gauges) throws InterruptedException {
    try {
      broker.collectGarbage();
      return gauges.sample().heapUsedBytes();
    } catch (IOException e) {
      err.println("live heap not measured: " + e.getMessage());
      return -1;
    }
  }

  private void reportDeath(BrokerProcess broker, String stage) {
    out.println(
        "the broker died during "
            + stage
            + " ("
            + broker.exitDescription()
            + "); the last lines of its log:");
    broker.logTail(10).forEach(line -> out.println("  " + line));
    out.flush();
  }

  private static StageResult streamStage(LoadResult result) {
    return streamStage(result.workload().name(), result);
  }

  private static StageResult streamStage(String label, LoadResult result) {
    return new StageResult(
        String.format(
            Locale.ROOT,
            "%s: %,d of %,d deliveries, %,d lost, %,.0f deliveries/s",
            label,
            result.deliveries(),
            result.expectedDeliveries(),
            result.lost(),
            result.deliveriesPerSecond()),
        result.lost() == 0);
  }

  private StageResult cacheStage(FelixOptions options, BrokerProcess broker) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    StreamNames.of(CACHE).putInto(body);
    CacheWorkload workload =
        CacheWorkload.W4
            .withKeys((int) Math.max(1, size.messages / 10))
            .withDuration(size.seconds)
            .withWarmup(0);
    body.put("maxBytes", workload.keys() * CACHE_BYTES_PER_KEY);
    post(broker, "/admin/v1/caches", body);
    CacheResult result;
    try (FelixCacheTarget felix = new FelixCacheTarget(options, CACHE)) {
      result = new CacheLoadRunner(progress).run(workload, felix);
    }
    return new StageResult(
        String.format(
            Locale.ROOT,
            "W4: %,d keys, %,d gets (%,d misses), %,d puts, %,d errors, %,.0f ops/s",
            workload.keys(),
            result.gets(),
            result.misses(),
            result.puts(),
            result.errors(),
            result.opsPerSecond()),
        result.errors() == 0 && result.misses() == 0);
  }

  /** W5: W1 on a stream created durable (fsync interval) on this memory-default broker. */
  private StageResult durableStage(LoadRunner streams, BrokerProcess broker) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    StreamNames.of(DURABLE_STREAM).putInto(body);
    body.put("storage", "durable");
    body.put("fsync", "interval");
    post(broker, "/admin/v1/streams", body);
    return streamStage(
        "W5 (W1 on a durable stream, fsync interval)",
        streams.runOn(StreamRef.of(DURABLE_STREAM), withMessages("W1", 1), timeout));
  }

  /**
   * Fills the budget of all memory streams: 64 MiB into one new stream after another until a
   * publish is refused with {@code LIMIT_EXCEEDED}.
   */
  private String fillStreamBudget(FelixOptions options, BrokerGauges gauges) throws Exception {
    byte[] payload = new byte[FILL_RECORD_BYTES];
    try (FelixClient client = Felix.connect(options)) {
      CompletableFuture<PublishReceipt> windowEnd = null;
      long sent = 0;
      for (int created = 1; created <= FILL_MAX_STREAMS; created++) {
        StreamRef stream = StreamRef.of("bench-fill-" + created);
        progress.accept("FULL: filling memory stream " + created);
        for (int i = 0; i < FILL_RECORDS_PER_STREAM; i++) {
          CompletableFuture<PublishReceipt> publish =
              client.publishAsync(OutgoingMessage.builder(stream).payload(payload).build());
          if (++sent % FILL_WINDOW == 0) {
            if (refused(windowEnd)) {
              double[] memory =
                  gauges.read(
                      "felix_broker_stream_memory_bytes", "felix_broker_stream_memory_max_bytes");
              return String.format(
                  Locale.ROOT,
                  "memory streams hold %s of their %s budget (filled through %d new stream(s)"
                      + " until LIMIT_EXCEEDED)",
                  mib((long) memory[0]),
                  mib((long) memory[1]),
                  created);
            }
            windowEnd = publish;
          }
        }
      }
    }
    throw new IOException(
        "the memory-stream budget refused nothing in " + FILL_MAX_STREAMS + " streams of 64 MiB");
  }

  /** Waits for {@code publish}: true when it was refused for the budget, thrown when otherwise. */
  private static boolean refused(CompletableFuture<PublishReceipt> publish)
      throws InterruptedException {
    if (publish == null) {
      return false;
    }
    try {
      publish.get();
      return false;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FelixException failure
          && failure.code() == ErrorCode.LIMIT_EXCEEDED) {
        return true;
      }
      throw new IllegalStateException("a budget-filling publish failed", e.getCause());
    }
  }

  /**
   * Fills the caches' budget: a new cache takes what the other caches' bounds left of it and gets
   * more 1 KiB values than it holds, so it ends at its bound, evicting.
   */
  private String fillCacheBudget(FelixOptions options, BrokerProcess broker, BrokerGauges gauges)
      throws Exception {
    double[] read =
        gauges.read("felix_cache_budget_max_bytes", "felix_cache_budget_reserved_bytes");
    if (Double.isNaN(read[0]) || Double.isNaN(read[1])) {
      throw new IOException("the broker's /metrics has no cache budget figures");
    }
    long budget = (long) read[0];
    long free = budget - (long) read[1];
    if (free < MIB) {
      return "the caches' budget is already taken";
    }
    Map<String, Object> body = new LinkedHashMap<>();
    StreamNames.of(FILL_CACHE).putInto(body);
    body.put("maxBytes", free);
    post(broker, "/admin/v1/caches", body);
    long values = free / (FILL_VALUE_BYTES + 100); // more than fit: each weighs ~1,190 bytes
    byte[] value = new byte[FILL_VALUE_BYTES];
    try (FelixClient client = Felix.connect(options)) {
      FelixCache cache = client.cache(FILL_CACHE);
      for (long next = 0; next < values; ) {
        Map<byte[], byte[]> batch = new LinkedHashMap<>();
        for (int i = 0; i < 100 && next < values; i++, next++) {
          batch.put(("fill-" + next).getBytes(StandardCharsets.UTF_8), value);
        }
        cache.putAll(batch, null);
        if (next % 10_000 == 0) {
          progress.accept(
              String.format(Locale.ROOT, "FULL: %,d of %,d cache values", next, values));
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "caches' %s budget taken, a new cache of %s given %,d values of 1 KiB",
        mib(budget),
        mib(free),
        values);
  }

  private static StageResult scaleStage(ScaleResult result) {
    return new StageResult(
        String.format(
            Locale.ROOT,
            "W6: %,d subscriptions, %,d of %,d deliveries, %,d lost, %,d out of order, %,d publish"
                + " errors",
            result.shape().subscriptions(),
            result.deliveries(),
            result.expectedDeliveries(),
            result.lost(),
            result.outOfOrder(),
            result.publishErrors()),
        result.lost() == 0 && result.outOfOrder() == 0 && result.publishErrors() == 0);
  }

  private Workload withMessages(String workload, int divisor) {
    return Workload.named(workload).withMessages(Math.max(1, size.messages / divisor));
  }

  private Workload atRate(String workload) {
    return Workload.named(workload).withRate(size.rate, size.seconds);
  }

  /** An admin API create; anything but 2xx is an IOException with the broker's answer. */
  private static void post(BrokerProcess broker, String path, Map<String, Object> body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + broker.httpAddress() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.object(body)))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "-" : String.format(Locale.ROOT, "%,d MiB", bytes / MIB);
  }
}
