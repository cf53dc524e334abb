package dev.felix.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code felix admin group list}: consumer groups the broker holds, with positions and counters
 * ({@code felix queue stats} shows one group readably).
 */
@Command(
    name = "group",
    description = "List consumer groups with their positions and counters (read-only).",
    subcommands = {AdminGroupCommand.ListGroups.class, CommandLine.HelpCommand.class})
final class AdminGroupCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", description = "Every consumer group.")
  static final class ListGroups extends AdminHttpCall {
    @Override
    public Integer call() throws Exception {
      return send("GET", "/admin/v1/groups", null);
    }
  }
}
