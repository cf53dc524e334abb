package dev.felix.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code felix admin policy list|describe|set|delete}: a tenant's access policy through the admin
 * API (refused with exit code 2 when the broker reads its policies from FELIX_AUTH_POLICY_FILE).
 */
@Command(
    name = "policy",
    description = "List, show, set and delete tenants' access policies.",
    subcommands = {
      AdminPolicyCommand.ListPolicies.class,
      AdminPolicyCommand.Describe.class,
      AdminPolicyCommand.Set.class,
      AdminPolicyCommand.Delete.class,
      CommandLine.HelpCommand.class
    })
final class AdminPolicyCommand implements Runnable {
  private static final String PATH = "/admin/v1/policies";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", description = "The policies of the tenants you administer.")
  static final class ListPolicies extends AdminHttpCall {
    @Override
    public Integer call() throws Exception {
      return send("GET", PATH, null);
    }
  }

  @Command(name = "describe", description = "One tenant's policy; exit code 1 when it has none.")
  static final class Describe extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Override
    public Integer call() throws Exception {
      return send("GET", PATH + "/" + tenant, null);
    }
  }

  @Command(
      name = "set",
      description =
          "Create or replace a tenant's policy from a JSON file with roles and bindings (one"
              + " tenant of the policy file format); in force at once.")
  static final class Set extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "JSON policy.")
    Path file;

    @Override
    public Integer call() throws Exception {
      return send("PUT", PATH + "/" + tenant, Files.readString(file, StandardCharsets.UTF_8));
    }
  }

  @Command(
      name = "delete",
      description = "Remove a tenant's policy: its principals lose all rights.")
  static final class Delete extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Override
    public Integer call() throws Exception {
      return send("DELETE", PATH + "/" + tenant, null);
    }
  }
}
