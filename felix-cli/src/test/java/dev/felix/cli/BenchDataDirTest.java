package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchDataDirTest {
  private final StringWriter notes = new StringWriter();

  @Test
  void closingDeletesTheDirectoryWithEverythingABrokerWroteInIt() throws Exception {
    Path path;
    try (BenchDataDir dataDir = BenchDataDir.create("felix-bench-test", new PrintWriter(notes))) {
      path = dataDir.path();
      assertThat(path.getFileName().toString()).startsWith("felix-bench-test");
      Path shard = Files.createDirectories(path.resolve("streams/default/default/orders/0"));
      Files.write(shard.resolve("00000000000000000000.log"), new byte[4096]);
      Files.createDirectories(path.resolve("tls"));
      Files.writeString(path.resolve("tls/ca.pem"), "certificate");
    }
    assertThat(path).doesNotExist();
    assertThat(notes.toString()).isEmpty();
  }

  @Test
  void aDirectoryRemovedAlreadyIsReportedNotThrown() throws Exception {
    BenchDataDir dataDir = BenchDataDir.create("felix-bench-test", new PrintWriter(notes));
    Files.delete(dataDir.path());
    dataDir.close();
    assertThat(notes.toString()).contains("could not delete").contains(dataDir.path().toString());
  }
}
