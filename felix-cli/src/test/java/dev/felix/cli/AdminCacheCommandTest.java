package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.server.FelixServer;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code felix admin cache} against a real server's admin API, and cache calls over QUIC. */
class AdminCacheCommandTest {
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
    server.shutdown();
  }

  private int admin(String... args) {
    return CliHarness.run(
        out, err, CliHarness.with(args, "--http", "127.0.0.1:" + server.httpAddress().getPort()));
  }

  private int call(String... args) {
    String[] withServer =
        CliHarness.with(args, "--server", "127.0.0.1:" + server.quicAddress().getPort());
    return CliHarness.run(out, err, CliHarness.with(withServer, "--data-dir", dataDir.toString()));
  }

  @Test
  void createWriteDescribeAndDeleteADurableCache() {
    assertThat(admin("admin", "cache", "create", "profiles", "--durable", "--fsync", "always"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("\"storage\" : \"durable\"", "\"fsync\" : \"always\"");
    Path cacheDir = dataDir.resolve("caches/default/default/profiles");
    assertThat(cacheDir.resolve("cache.properties")).exists();

    assertThat(call("cache", "put", "profiles", "user:1", "ada")).as(err.toString()).isZero();
    assertThat(admin("admin", "cache", "describe", "profiles")).isZero();
    assertThat(out.toString()).contains("\"replayedRecords\" : 0", "\"queuedBytes\" : 0");

    assertThat(admin("admin", "cache", "delete", "profiles")).isZero();
    assertThat(Files.exists(cacheDir)).isFalse();
  }

  @Test
  void fsyncOnAMemoryCacheIsRefusedWithItsField() {
    assertThat(admin("admin", "cache", "create", "plain", "--fsync", "never")).isEqualTo(2);
    assertThat(err.toString()).contains("\"field\" : \"fsync\"");
  }
}
