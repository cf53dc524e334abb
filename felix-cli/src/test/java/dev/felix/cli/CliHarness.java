package dev.felix.cli;

import dev.felix.server.FelixServer;
import dev.felix.server.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * What the CLI tests share: a real broker on loopback ports in a temporary data directory, and a
 * way to run {@code felix ...} against it while capturing standard output and error.
 */
final class CliHarness {
  private CliHarness() {}

  /** A broker on {@code dataDir} with loopback port 0 and no drain wait, plus {@code extra}. */
  static FelixServer startServer(Path dataDir, Map<String, String> extra) throws IOException {
    Map<String, String> settings = new HashMap<>();
    settings.put("FELIX_DATA_DIR", dataDir.toString());
    settings.put("FELIX_QUIC_BIND", "127.0.0.1:0");
    settings.put("FELIX_HTTP_BIND", "127.0.0.1:0");
    settings.put("FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS", "0");
    settings.putAll(extra);
    return FelixServer.start(ServerConfig.load(settings));
  }

  /** Runs {@code felix args...}, printing into {@code out} and {@code err}; the exit code. */
  static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine command = FelixCommand.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  /** {@code args} followed by {@code option value}. */
  static String[] with(String[] args, String option, String value) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = option;
    all[args.length + 1] = value;
    return all;
  }
}
