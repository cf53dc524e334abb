package dev.felix.cli;

import dev.felix.error.FelixException;
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
      QueueCommand.class,
      CacheCommand.class,
      LogCommand.class,
      AdminCommand.class,
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
    return commandLine().execute(args);
  }

  /**
   * The command line with Felix's error handling: a typed Felix error (unknown stream, limit,
   * timeout...) prints its code and message and exits with 2, keeping 1 for "not found" answers
   * such as an absent cache key; anything else is a bug and keeps picocli's stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new FelixCommand());
    line.setExecutionExceptionHandler(
        (error, command, parsed) -> {
          if (error instanceof FelixException felix) {
            command
                .getErr()
                .println(
                    "error: "
                        + felix.code()
                        + " ("
                        + felix.code().code()
                        + "): "
                        + felix.getMessage());
            return 2;
          }
          throw error;
        });
    return line;
  }
}
