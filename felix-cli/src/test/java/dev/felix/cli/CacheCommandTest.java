package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.server.FelixServer;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code felix cache} against a real server over QUIC. */
class CacheCommandTest {
  @TempDir static Path dataDir;
  private static FelixServer server;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void startServer() throws Exception {
    server = CliHarness.startServer(dataDir, Map.of());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.shutdown();
    }
  }

  private int run(String... args) {
    String[] withServer =
        CliHarness.with(args, "--server", "127.0.0.1:" + server.quicAddress().getPort());
    return CliHarness.run(out, err, CliHarness.with(withServer, "--data-dir", dataDir.toString()));
  }

  @Test
  void putGetAndDeleteWithExitCodes() {
    assertThat(run("cache", "put", "sessions", "user:1", "ada")).isZero();
    assertThat(out.toString()).startsWith("version ");

    assertThat(run("cache", "get", "sessions", "user:1")).isZero();
    assertThat(out.toString()).contains("ada");

    assertThat(run("cache", "del", "sessions", "user:1")).isZero();
    assertThat(run("cache", "get", "sessions", "user:1")).isEqualTo(1);
    assertThat(err.toString()).contains("(absent) user:1");
    assertThat(run("cache", "del", "sessions", "user:1")).isEqualTo(1);
  }

  @Test
  void putWithTtlAndIfAbsent() {
    assertThat(run("cache", "put", "acme/prod/tokens", "t", "v", "--ttl", "30s")).isZero();
    assertThat(run("cache", "get", "acme/prod/tokens", "t", "--verbose")).isZero();
    assertThat(err.toString()).contains("ttl PT");
    assertThat(run("cache", "put", "acme/prod/tokens", "t", "other", "--if-absent")).isEqualTo(1);
    assertThat(err.toString()).contains("key exists");
  }

  @Test
  void typedErrorsExitWithTwo() {
    // An empty key is refused by the broker with INVALID_ARGUMENT.
    assertThat(run("cache", "put", "sessions", "", "v")).isEqualTo(2);
    assertThat(err.toString()).contains("INVALID_ARGUMENT");
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    assertThat(DurationParser.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationParser.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationParser.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(DurationParser.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void watchPrintsTheSnapshotThenChangesAsJson() throws Exception {
    assertThat(run("cache", "put", "watched", "user:1", "ada")).isZero();
    StringWriter watchOut = new StringWriter();
    StringWriter watchErr = new StringWriter();
    String[] args =
        CliHarness.with(
            CliHarness.with(
                new String[] {
                  "cache", "watch", "watched", "user:", "--count", "2", "--format", "json"
                },
                "--server",
                "127.0.0.1:" + server.quicAddress().getPort()),
            "--data-dir",
            dataDir.toString());
    java.util.concurrent.CompletableFuture<Integer> exit =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> CliHarness.run(watchOut, watchErr, args));
    // Keep writing until the watch has printed two changes (it may start after the first puts).
    for (int i = 0; i < 200 && !exit.isDone(); i++) {
      run("cache", "put", "watched", "user:2", "v" + i);
      run("cache", "put", "watched", "other", "ignored");
      Thread.sleep(50);
    }
    assertThat(exit.get(30, java.util.concurrent.TimeUnit.SECONDS))
        .as(watchErr.toString())
        .isZero();
    String printed = watchOut.toString();
    assertThat(printed)
        .contains("{\"kind\":\"SNAPSHOT\",\"key\":\"user:1\"", "{\"snapshotComplete\":true}")
        .contains("{\"kind\":\"PUT\",\"key\":\"user:2\"")
        .doesNotContain("other");
  }

  @Test
  void watchingAnUnknownCacheIsATypedErrorWithExitCodeTwo() {
    assertThat(run("cache", "watch", "never-written", "")).isEqualTo(2);
    assertThat(err.toString()).contains("NOT_FOUND");
  }
}
