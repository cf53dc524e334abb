package dev.felix.cli;

import dev.felix.client.FelixOptions;
import dev.felix.transport.DevelopmentCertificates;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A broker in a JVM of its own ({@code felix server} with this process's class path), for
 * benchmarks that report the broker's memory and CPU apart from the load generator's (W6, MEM).
 * Listens on loopback ports picked here; its output goes to {@code broker.log} in its data
 * directory.
 */
final class BrokerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final Path dataDir;
  private final int quicPort;
  private final int httpPort;

  private BrokerProcess(Process process, Path dataDir, int quicPort, int httpPort) {
    this.process = process;
    this.dataDir = dataDir;
    this.quicPort = quicPort;
    this.httpPort = httpPort;
  }

  /**
   * Starts a broker on {@code dataDir} with {@code settings} (FELIX_* variables) and JVM flags
   * {@code javaOptions}, and waits until its {@code /ready} answers 200.
   */
  static BrokerProcess start(Path dataDir, Map<String, String> settings, List<String> javaOptions)
      throws IOException, InterruptedException {
    int quicPort = freeUdpPort();
    int httpPort = freeTcpPort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FelixCommand.class.getName());
    command.add("server");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("FELIX_DATA_DIR", dataDir.toString());
    builder.environment().put("FELIX_QUIC_BIND", "127.0.0.1:" + quicPort);
    builder.environment().put("FELIX_HTTP_BIND", "127.0.0.1:" + httpPort);
    builder.environment().put("FELIX_LOG_LEVEL", "warn");
    builder.environment().putAll(settings);
    builder.redirectErrorStream(true);
    builder.redirectOutput(log(dataDir).toFile());
    BrokerProcess broker = new BrokerProcess(builder.start(), dataDir, quicPort, httpPort);
    try {
      broker.awaitReady();
      return broker;
    } catch (IOException | InterruptedException | RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  int quicPort() {
    return quicPort;
  }

  /** Client options for this broker: its QUIC port, trusting its development CA. */
  FelixOptions clientOptions() {
    return FelixOptions.builder()
        .serverAddress("127.0.0.1:" + quicPort)
        .caFile(DevelopmentCertificates.caCertificateFile(dataDir))
        .build();
  }

  String httpAddress() {
    return "127.0.0.1:" + httpPort;
  }

  private static Path log(Path dataDir) {
    return dataDir.resolve("broker.log");
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** How the process ended, for a report: "exit code N" (or "running"). */
  String exitDescription() {
    return process.isAlive() ? "running" : "exit code " + process.exitValue();
  }

  /** The last {@code lines} lines of the broker's output (empty when unreadable). */
  List<String> logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log(dataDir));
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  /**
   * A full, stop-the-world collection in the broker ({@code jcmd PID GC.run}, which returns once it
   * is done), so that the heap in use right after it is the live data. Needs a JDK's {@code jcmd}
   * next to this JVM's {@code java}.
   *
   * @throws IOException when jcmd is missing or fails
   */
  void collectGarbage() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      throw new IOException(jcmd + " is missing (a JDK, not a JRE, runs the bench)");
    }
    Process gc =
        new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!gc.waitFor(60, TimeUnit.SECONDS)) {
      gc.destroyForcibly();
      throw new IOException("jcmd GC.run did not finish within 60 s");
    }
    if (gc.exitValue() != 0) {
      throw new IOException("jcmd GC.run failed with exit code " + gc.exitValue());
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI ready = URI.create("http://" + httpAddress() + "/ready");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "the broker exited with " + process.exitValue() + "; see " + log(dataDir));
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    throw new IOException(
        "the broker was not ready within " + START_TIMEOUT + "; see " + log(dataDir));
  }

  /** SIGTERM (graceful shutdown), then SIGKILL if it is still running after 20 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
