package dev.felix.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code felix admin ...}: administration of a running broker through its admin API. */
@Command(
    name = "admin",
    description = "Administer a running broker (admin API on its HTTP port).",
    subcommands = {AdminStreamCommand.class, CommandLine.HelpCommand.class})
final class AdminCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
