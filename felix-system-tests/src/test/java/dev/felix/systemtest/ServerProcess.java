package dev.felix.systemtest;

import dev.felix.transport.DevelopmentCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A broker in its own JVM ({@link ServerMain}), for the tests that signal or kill the process:
 * started on loopback with port 0 and the given settings, ready once it printed its ports.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private final Path dataDir;
  private final int quicPort;
  private final InetSocketAddress http;

  private ServerProcess(Path dataDir, Map<String, String> settings) throws IOException {
    this.dataDir = dataDir;
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            ServerMain.class.getName());
    builder.environment().put("FELIX_DATA_DIR", dataDir.toString());
    builder.environment().put("FELIX_QUIC_BIND", "127.0.0.1:0");
    builder.environment().put("FELIX_HTTP_BIND", "127.0.0.1:0");
    builder.environment().putAll(settings);
    builder.redirectErrorStream(true);
    process = builder.start();
    reader = readLines(process, output);
    Await.until(
        () -> "the server process to start; output so far: " + output,
        () ->
            output.stream().anyMatch(line -> line.startsWith(ServerMain.READY))
                || !process.isAlive(),
        Duration.ofSeconds(120));
    String[] ready =
        output.stream()
            .filter(line -> line.startsWith(ServerMain.READY))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the server process died: " + output))
            .split(" ");
    quicPort = Integer.parseInt(ready[1]);
    http = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(ready[2]));
  }

  /** Starts a broker on {@code dataDir} and waits until it serves. */
  static ServerProcess start(Path dataDir, Map<String, String> settings) throws IOException {
    return new ServerProcess(dataDir, settings);
  }

  Process process() {
    return process;
  }

  List<String> output() {
    return output;
  }

  int quicPort() {
    return quicPort;
  }

  InetSocketAddress http() {
    return http;
  }

  /** The development CA the server wrote into its data directory. */
  Path caFile() {
    return DevelopmentCertificates.caCertificateFile(dataDir);
  }

  /** SIGKILL: no shutdown hook, no flush; what was not forced to disk may be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    reader.join(10_000);
  }

  private static Thread readLines(Process process, List<String> output) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  output.add(line);
                }
              } catch (IOException e) {
                output.add("(reading the output failed: " + e + ")");
              }
            },
            "server-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
