package dev.felix.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code felix admin group list}: consumer groups. None exist until the broker implements them, so
 * the list is empty (the answer carries a note saying so).
 */
@Command(
    name = "group",
    description = "List consumer groups (read-only; empty until consumer groups exist).",
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
