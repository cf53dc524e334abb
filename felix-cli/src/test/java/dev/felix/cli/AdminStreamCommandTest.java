package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.server.FelixServer;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code felix admin stream} against a real server's admin API. */
class AdminStreamCommandTest {
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

  private int run(String... args) {
    return CliHarness.run(
        out, err, CliHarness.with(args, "--http", "127.0.0.1:" + server.httpAddress().getPort()));
  }

  @Test
  void createDescribeListAndDeleteADurableStream() {
    assertThat(run("admin", "tenant", "create", "acme")).as(err.toString()).isZero();
    assertThat(run("admin", "namespace", "create", "acme/prod")).as(err.toString()).isZero();
    assertThat(
            run(
                "admin",
                "stream",
                "create",
                "acme/prod/payments",
                "--durable",
                "--fsync",
                "always",
                "--retention-time",
                "7d",
                "--retention-bytes",
                "10GiB",
                "--shards",
                "2"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString())
        .contains("\"storage\" : \"durable\"", "\"retentionMs\" : 604800000")
        .contains("\"retentionBytes\" : 10737418240");
    assertThat(run("admin", "stream", "describe", "acme/prod/payments")).isZero();
    assertThat(run("admin", "stream", "list")).isZero();
    assertThat(run("admin", "stream", "delete", "acme/prod/payments")).isZero();
    assertThat(out.toString()).contains("bytesRemoved");
    assertThat(run("admin", "stream", "describe", "acme/prod/payments")).isEqualTo(1);
  }

  @Test
  void aRefusalNamesTheFieldAndExitsWithTwo() {
    assertThat(run("admin", "stream", "create", "bad", "--fsync", "always")).isEqualTo(2);
    assertThat(err.toString()).contains("\"field\" : \"storage\"");
  }

  @Test
  void sizesReadAsPeopleWriteThem() {
    assertThat(SizeParser.parse("10GiB")).isEqualTo(10L * 1024 * 1024 * 1024);
    assertThat(SizeParser.parse("512MiB")).isEqualTo(512L * 1024 * 1024);
    assertThat(SizeParser.parse("1GB")).isEqualTo(1_000_000_000L);
    assertThat(SizeParser.parse("4096")).isEqualTo(4096);
  }
}
