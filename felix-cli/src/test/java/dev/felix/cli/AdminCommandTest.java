package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.server.audit.AuditEvent;
import dev.felix.server.audit.AuditLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AdminCommandTest {
  private static final Instant T0 = Instant.parse("2030-01-02T03:00:00Z");

  @TempDir Path dataDir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void writeAuditLog() {
    AuditLog log = AuditLog.start(AuditLog.directory(dataDir), 1 << 20, 2, 16, Clock.systemUTC());
    for (int i = 0; i < 5; i++) {
      log.record(
          new AuditEvent(
              T0.plusSeconds(60L * i),
              AuditEvent.AUTHORIZATION,
              "svc-" + i,
              "acme",
              "stream.publish",
              "acme/orders/o",
              "denied",
              null,
              null));
    }
    log.close();
  }

  private int run(String... args) {
    CommandLine command = FelixCommand.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void printsTheNewestEntriesSinceAnInstant() {
    int exit =
        run(
            "admin",
            "audit",
            "--data-dir",
            dataDir.toString(),
            "--since",
            "2030-01-02T03:01:00Z",
            "--limit",
            "2");

    assertThat(exit).isZero();
    String[] lines = out.toString().strip().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).contains("\"principal\":\"svc-3\"");
    assertThat(lines[1]).contains("\"principal\":\"svc-4\"");
  }

  @Test
  void rejectsABadInstant() {
    assertThat(run("admin", "audit", "--data-dir", dataDir.toString(), "--since", "yesterday"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--since");
  }
}
