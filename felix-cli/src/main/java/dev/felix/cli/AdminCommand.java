package dev.felix.cli;

import dev.felix.server.audit.AuditLog;
import dev.felix.server.audit.AuditReader;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code felix admin}: operator commands. {@code tenant}, {@code namespace}, {@code stream}, {@code
 * cache}, {@code policy}, {@code group}, {@code cursor} and {@code cluster} talk to the admin API
 * on the broker's HTTP port ({@code --token} or {@code FELIX_ADMIN_TOKEN} with authentication on);
 * {@code audit} prints the broker's audit log from its data directory (run it where the data
 * directory is, e.g. {@code kubectl exec}).
 */
@Command(
    name = "admin",
    description = "Administer a Felix broker.",
    mixinStandardHelpOptions = true,
    subcommands = {
      AdminTenantCommand.class,
      AdminNamespaceCommand.class,
      AdminStreamCommand.class,
      AdminCacheCommand.class,
      AdminPolicyCommand.class,
      AdminGroupCommand.class,
      AdminCursorCommand.class,
      AdminClusterCommand.class,
      AdminCommand.Audit.class
    })
final class AdminCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints audit log entries as JSON lines, oldest first. */
  @Command(
      name = "audit",
      description =
          "Print audit log entries (JSON lines, oldest first): authentication failures,"
              + " authorization denials and admin changes.",
      mixinStandardHelpOptions = true)
  static final class Audit implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--since",
        paramLabel = "ISO",
        description = "only entries at or after this instant, e.g. 2030-01-02T03:04:05Z")
    String since;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "100",
        description = "print at most the newest N entries (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        defaultValue = "./data",
        description = "the broker's data directory (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Override
    public void run() {
      if (limit < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
      }
      Instant from = null;
      if (since != null) {
        try {
          from = Instant.parse(since);
        } catch (DateTimeParseException e) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--since must be an ISO-8601 instant like 2030-01-02T03:04:05Z");
        }
      }
      List<String> lines = AuditReader.read(AuditLog.directory(dataDir), from, limit);
      lines.forEach(spec.commandLine().getOut()::println);
    }
  }
}
