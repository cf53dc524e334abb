package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.FelixOptions;
import dev.felix.loadgen.LoadResult;
import dev.felix.loadgen.LoadRunner;
import dev.felix.loadgen.Workload;
import dev.felix.server.FelixServer;
import dev.felix.transport.DevelopmentCertificates;
import dev.felix.wire.message.StreamRef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark run's stream is gone from the broker once the run is over. */
class BenchStreamsTest {
  @TempDir static Path dataDir;
  private static FelixServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = CliHarness.startServer(dataDir, Map.of());
  }

  @AfterAll
  static void stopServer() {
    server.shutdown();
  }

  @Test
  void eachRunsStreamIsDeletedAfterTheRun() throws Exception {
    StringWriter err = new StringWriter();
    List<StreamRef> finished = new ArrayList<>();
    FelixOptions options =
        FelixOptions.builder()
            .serverAddress("127.0.0.1:" + server.quicAddress().getPort())
            .caFile(DevelopmentCertificates.caCertificateFile(dataDir))
            .build();
    LoadRunner runner =
        new LoadRunner(options, line -> {})
            .afterEachRun(
                stream -> {
                  finished.add(stream);
                  BenchStreams.delete(server, stream, new PrintWriter(err, true));
                });

    LoadResult result = runner.run(Workload.named("W1").withMessages(500), Duration.ofSeconds(30));

    assertThat(result.lost()).isZero();
    assertThat(finished).hasSize(1);
    assertThat(err.toString()).isEmpty();
    StringWriter out = new StringWriter();
    StreamRef stream = finished.get(0);
    int describe =
        CliHarness.run(
            out,
            new StringWriter(),
            "admin",
            "stream",
            "describe",
            stream.tenant() + "/" + stream.namespace() + "/" + stream.stream(),
            "--http",
            "127.0.0.1:" + server.httpAddress().getPort());
    assertThat(describe).as("exit code of describe (1 = not found): %s", out).isEqualTo(1);
  }

  @Test
  void benchAgainstARunningBrokerDeletesItsStreamsThereWithAdmin() throws Exception {
    String http = "127.0.0.1:" + server.httpAddress().getPort();
    Set<String> before = benchStreams(http); // other tests here may leave theirs
    StringWriter err = new StringWriter();
    // With a warm-up, so that its stream is deleted too.
    int exit = benchW1(err, 1, "--messages", "300", "--runs", "2", "--admin", http);

    assertThat(exit).as("bench exit code: %s", err).isZero();
    assertThat(err.toString()).doesNotContain("could not delete").doesNotContain("stays on");
    assertThat(benchStreams(http)).isEqualTo(before);
  }

  /** Runs {@code felix bench W1} against the test server, no warm-up, plus {@code options}. */
  private static int benchW1(StringWriter err, String... options) {
    return benchW1(err, 0, options);
  }

  /** As above, with {@code warmupSeconds} of warm-up. */
  private static int benchW1(StringWriter err, int warmupSeconds, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "bench",
                "W1",
                "--server",
                "127.0.0.1:" + server.quicAddress().getPort(),
                "--ca",
                DevelopmentCertificates.caCertificateFile(dataDir).toString(),
                "--warmup",
                Integer.toString(warmupSeconds)));
    args.addAll(List.of(options));
    return CliHarness.run(new StringWriter(), err, args.toArray(String[]::new));
  }

  /** The names of the bench streams the broker at {@code http} holds now. */
  private static Set<String> benchStreams(String http) {
    StringWriter list = new StringWriter();
    CliHarness.run(list, new StringWriter(), "admin", "stream", "list", "--http", http);
    Set<String> names = new TreeSet<>();
    Matcher matcher = Pattern.compile("bench-w1-(warmup-)?\\d+").matcher(list.toString());
    while (matcher.find()) {
      names.add(matcher.group());
    }
    return names;
  }

  @Test
  void withoutAdminTheBenchSaysItsStreamsStayOnTheBroker() {
    StringWriter err = new StringWriter();
    int exit = benchW1(err, "--messages", "100", "--runs", "1");

    assertThat(exit).isZero();
    assertThat(err.toString()).contains("stays on").contains("--admin");
  }

  @Test
  void withoutAdminAWarmUpLeavesOneStreamHoweverManySlicesItTook() {
    String http = "127.0.0.1:" + server.httpAddress().getPort();
    Set<String> before = benchStreams(http);
    StringWriter err = new StringWriter();
    // A second of slices of 10 messages: many slices, all on the warm-up stream.
    int exit = benchW1(err, 1, "--messages", "100", "--runs", "1");

    assertThat(exit).as("bench exit code: %s", err).isZero();
    Set<String> left = new TreeSet<>(benchStreams(http));
    left.removeAll(before);
    assertThat(left).hasSize(2).anyMatch(name -> name.contains("-warmup-"));
  }

  @Test
  void aStreamThatIsAlreadyGoneIsReportedNotThrown() {
    StringWriter err = new StringWriter();

    BenchStreams.delete(server, StreamRef.of("never-created"), new PrintWriter(err, true));

    assertThat(err.toString()).contains("could not delete the run's stream").contains("404");
  }
}
