package dev.felix.systemtest;

import dev.felix.server.FelixServer;
import dev.felix.server.config.ServerConfig;
import java.util.concurrent.CountDownLatch;

/**
 * The server process of the SIGTERM test: what {@code felix server} (felix-cli's {@code
 * ServerCommand}) does, without depending on the CLI module. Configuration from the {@code FELIX_*}
 * environment; a shutdown hook drains gracefully and then halts with exit code 0 (a JVM ending on a
 * signal would otherwise exit 143). Prints {@code FELIX-READY <quicPort> <httpPort>} once serving,
 * so that the test can bind port 0.
 */
public final class ServerMain {
  /** The line prefix the test waits for. */
  static final String READY = "FELIX-READY";

  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    FelixServer server = FelixServer.start(ServerConfig.load(System.getenv()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdown();
                  stopped.countDown();
                  Runtime.getRuntime().halt(0);
                },
                "felix-shutdown"));
    System.out.println(
        READY + " " + server.quicAddress().getPort() + " " + server.httpAddress().getPort());
    System.out.flush();
    stopped.await();
  }
}
