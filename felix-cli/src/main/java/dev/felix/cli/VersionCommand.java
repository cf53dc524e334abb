package dev.felix.cli;

import dev.felix.wire.ProtocolVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints the build version and the protocol version it speaks. */
@Command(name = "version", description = "Print the Felix and protocol versions.")
final class VersionCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
  }

  /** Shared with {@code felix --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = FelixCommand.class.getPackage().getImplementationVersion();
      return new String[] {
        "felix " + (version == null ? "development build" : version),
        "wire protocol v" + ProtocolVersion.CURRENT,
        "java " + System.getProperty("java.version")
      };
    }
  }
}
