package dev.felix.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code felix} command. Each sub-command is its own class; this one only assembles them and
 * maps failures to exit codes (0 success, 1 "not found"/negative answer, 2 usage, 3 error).
 */
@Command(
    name = "felix",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Felix: streams, queues and cache on one log over QUIC.",
    subcommands = {
      ServerCommand.class,
      PubCommand.class,
      SubCommand.class,
      BenchCommand.class,
      VersionCommand.class,
      WireCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FelixCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    return new CommandLine(new FelixCommand()).execute(args);
  }
}
