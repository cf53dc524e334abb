package dev.felix.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  private static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");

  @TempDir Path dir;

  private static AuditEvent denial(int i, Instant time) {
    return new AuditEvent(
        time,
        AuditEvent.AUTHORIZATION,
        "svc-" + i,
        "acme",
        "stream.publish",
        "acme/orders/o" + i,
        "denied",
        null,
        "127.0.0.1:4000");
  }

  @Test
  void writesOneJsonLinePerEventWithTimeFirst() {
    AuditLog log = AuditLog.start(dir, 1 << 20, 3, 16, Clock.fixed(T0, ZoneOffset.UTC));
    log.record(denial(1, T0));
    log.record("admin-1", "acme", "policy.replace", "acme", "ok", "2 roles \"quoted\"");
    log.close();

    List<String> lines = AuditReader.read(dir, null, 10);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .isEqualTo(
            "{\"time\":\"2030-01-02T03:04:05Z\",\"type\":\"authorization\",\"principal\":\"svc-1\","
                + "\"tenant\":\"acme\",\"action\":\"stream.publish\",\"resource\":\"acme/orders/o1\","
                + "\"result\":\"denied\",\"remote\":\"127.0.0.1:4000\"}");
    assertThat(lines.get(1))
        .contains("\"type\":\"admin\"", "\"detail\":\"2 roles \\\"quoted\\\"\"");
    assertThat(log.written()).isEqualTo(2);
  }

  @Test
  void rotatesBySizeAndKeepsABoundedNumberOfFiles() throws Exception {
    AuditLog log = AuditLog.start(dir, 64 * 1024, 3, 8192, Clock.systemUTC());
    int events = 2000; // about 200 bytes each: 400 KB, several rotations of 64 KiB files
    for (int i = 0; i < events; i++) {
      assertThat(log.record(denial(i, T0.plusSeconds(i)))).isTrue();
    }
    log.close();

    List<Path> files = AuditFiles.list(dir);
    assertThat(files).hasSize(3);
    for (Path file : files) {
      assertThat(Files.size(file)).isLessThanOrEqualTo(64 * 1024);
    }
    // The newest events survive, oldest first; the deleted files held the oldest.
    List<String> kept = AuditReader.read(dir, null, events);
    assertThat(kept.get(kept.size() - 1)).contains("\"principal\":\"svc-1999\"");
    assertThat(kept.size()).isLessThan(events);
    assertThat(AuditReader.timeOf(kept.get(0))).isAfter(T0);
    assertThat(log.written()).isEqualTo(events);
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() {
    AuditLog log = AuditLog.unstarted(dir, 1 << 20, 2, 2, Clock.systemUTC());
    assertThat(log.record(denial(1, T0))).isTrue();
    assertThat(log.record(denial(2, T0))).isTrue();
    assertThat(log.record(denial(3, T0))).isFalse();
    assertThat(log.dropped()).isEqualTo(1);

    log.startWriter();
    log.close();
    assertThat(log.written()).isEqualTo(2);
    assertThat(AuditReader.read(dir, null, 10)).hasSize(2);
  }

  @Test
  void continuesTheNewestFileAfterARestart() {
    AuditLog first = AuditLog.start(dir, 1 << 20, 2, 16, Clock.systemUTC());
    first.record(denial(1, T0));
    first.close();
    AuditLog second = AuditLog.start(dir, 1 << 20, 2, 16, Clock.systemUTC());
    second.record(denial(2, T0.plusSeconds(60)));
    second.close();

    assertThat(AuditReader.read(dir, null, 10)).hasSize(2);
    assertThat(AuditReader.read(dir, T0.plusSeconds(30), 10))
        .singleElement()
        .asString()
        .contains("svc-2");
    assertThat(AuditReader.read(dir, null, 1)).singleElement().asString().contains("svc-2");
  }
}
