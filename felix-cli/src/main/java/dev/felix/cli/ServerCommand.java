package dev.felix.cli;

import dev.felix.server.FelixServer;
import dev.felix.server.config.ConfigurationException;
import dev.felix.server.config.ServerConfig;
import dev.felix.server.config.SettingsSource;
import dev.felix.server.logging.LoggingSetup;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code felix server}: runs the broker until SIGTERM/SIGINT. Settings come from {@code FELIX_*}
 * environment variables and the optional YAML file (docs/configuration.md); the options here are
 * shortcuts that set the same variables.
 *
 * <p>On SIGTERM the shutdown hook drains gracefully and then halts with exit code 0: a JVM that
 * ends because of a signal otherwise exits 143, which orchestrators read as a failure.
 */
@Command(
    name = "server",
    description = {
      "Run the Felix broker (QUIC on udp 0.0.0.0:5000, HTTP on tcp 0.0.0.0:8080 by default).",
      "Configuration: FELIX_* environment variables and FELIX_CONFIG_FILE (docs/configuration.md)."
    })
final class ServerCommand implements Callable<Integer> {
  @CommandLine.Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML settings file (FELIX_CONFIG_FILE).")
  String configFile;

  @CommandLine.Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory (FELIX_DATA_DIR).")
  String dataDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Map<String, String> environment = new HashMap<>(System.getenv());
    if (configFile != null) {
      environment.put("FELIX_CONFIG_FILE", configFile);
    }
    if (dataDir != null) {
      environment.put("FELIX_DATA_DIR", dataDir);
    }
    ServerConfig config;
    SettingsSource source;
    try {
      source = SettingsSource.load(environment);
      config = ServerConfig.from(source);
    } catch (ConfigurationException e) {
      spec.commandLine().getErr().println("felix server: invalid configuration: " + e.getMessage());
      return 2;
    }
    LoggingSetup.apply(config.logging());
    Logger log = LoggerFactory.getLogger(ServerCommand.class);
    log.info("configuration:");
    ServerConfig.describe(source).forEach(line -> log.info("  {}", line));

    FelixServer server = FelixServer.start(config);
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
    stopped.await();
    return 0;
  }
}
