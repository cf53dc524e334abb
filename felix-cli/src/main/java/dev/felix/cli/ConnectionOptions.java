package dev.felix.cli;

import dev.felix.client.FelixOptions;
import dev.felix.transport.DevelopmentCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where and how the client commands connect. With no TLS flag at all the development CA that a
 * local {@code felix server} wrote into its data directory is trusted (besides the system trust
 * store), so that {@code ./felix pub}/{@code sub} work against {@code ./felix server} on the same
 * machine without flags.
 */
final class ConnectionOptions {
  @Option(
      names = "--server",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:5000",
      description = "Broker address (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--ca", paramLabel = "FILE", description = "Trust this CA certificate (PEM) too.")
  Path caFile;

  @Option(
      names = "--insecure",
      description =
          "Skip server certificate verification (logged as a warning; never in production).")
  boolean insecure;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Data directory of a local server whose development CA to trust (default: FELIX_DATA_DIR or ./data).")
  Path dataDir;

  FelixOptions.Builder toOptions(String clientName) {
    FelixOptions.Builder options =
        FelixOptions.builder().serverAddress(server).clientName(clientName);
    if (insecure) {
      return options.insecure(true);
    }
    Path ca = caFile != null ? caFile : localDevelopmentCa();
    if (ca != null) {
      options.caFile(ca).trustSystemStore(true);
    }
    return options;
  }

  private Path localDevelopmentCa() {
    Path dir = dataDir;
    if (dir == null) {
      String fromEnvironment = System.getenv("FELIX_DATA_DIR");
      dir =
          Path.of(
              fromEnvironment == null || fromEnvironment.isBlank() ? "./data" : fromEnvironment);
    }
    Path ca = DevelopmentCertificates.caCertificateFile(dir);
    return Files.isRegularFile(ca) ? ca : null;
  }
}
