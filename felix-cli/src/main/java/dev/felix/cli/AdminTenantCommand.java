package dev.felix.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code felix admin tenant create|list|describe|delete}: the admin API's tenant routes. */
@Command(
    name = "tenant",
    description = "Create, list, describe and delete tenants (delete removes everything in them).",
    subcommands = {
      AdminTenantCommand.Create.class,
      AdminTenantCommand.ListTenants.class,
      AdminTenantCommand.Describe.class,
      AdminTenantCommand.Delete.class,
      CommandLine.HelpCommand.class
    })
final class AdminTenantCommand implements Runnable {
  private static final String PATH = "/admin/v1/tenants";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "create", description = "Create a tenant.")
  static final class Create extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Override
    public Integer call() throws Exception {
      return send("POST", PATH, Json.object(Map.of("name", tenant)));
    }
  }

  @Command(name = "list", description = "The tenants you administer.")
  static final class ListTenants extends AdminHttpCall {
    @Override
    public Integer call() throws Exception {
      return send("GET", PATH, null);
    }
  }

  @Command(name = "describe", description = "One tenant; exit code 1 when it does not exist.")
  static final class Describe extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Override
    public Integer call() throws Exception {
      return send("GET", PATH + "/" + tenant, null);
    }
  }

  @Command(
      name = "delete",
      description =
          "Delete a tenant with its namespaces, streams, caches and policy; prints what was"
              + " removed.")
  static final class Delete extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Override
    public Integer call() throws Exception {
      return send("DELETE", PATH + "/" + tenant, null);
    }
  }
}
