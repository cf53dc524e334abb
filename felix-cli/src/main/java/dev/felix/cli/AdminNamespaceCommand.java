package dev.felix.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code felix admin namespace create|list|describe|delete}: the namespace routes. */
@Command(
    name = "namespace",
    description = "Create, list, describe and delete namespaces (TENANT/NAMESPACE).",
    subcommands = {
      AdminNamespaceCommand.Create.class,
      AdminNamespaceCommand.ListNamespaces.class,
      AdminNamespaceCommand.Describe.class,
      AdminNamespaceCommand.Delete.class,
      CommandLine.HelpCommand.class
    })
final class AdminNamespaceCommand implements Runnable {
  private static final String PATH = "/admin/v1/namespaces";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code TENANT/NAMESPACE}, or {@code NAMESPACE} in tenant {@code default}. */
  static String path(String namespace) {
    return PATH + "/" + (namespace.contains("/") ? namespace : "default/" + namespace);
  }

  @Command(name = "create", description = "Create a namespace in an existing tenant.")
  static final class Create extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "TENANT/NAMESPACE")
    String namespace;

    @Override
    public Integer call() throws Exception {
      String[] parts = namespace.split("/", -1);
      Map<String, Object> body = new LinkedHashMap<>();
      if (parts.length == 2) {
        body.put("tenant", parts[0]);
        body.put("name", parts[1]);
      } else {
        body.put("name", namespace);
      }
      return send("POST", PATH, Json.object(body));
    }
  }

  @Command(name = "list", description = "The namespaces you administer.")
  static final class ListNamespaces extends AdminHttpCall {
    @Override
    public Integer call() throws Exception {
      return send("GET", PATH, null);
    }
  }

  @Command(name = "describe", description = "One namespace; exit code 1 when it does not exist.")
  static final class Describe extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "TENANT/NAMESPACE")
    String namespace;

    @Override
    public Integer call() throws Exception {
      return send("GET", path(namespace), null);
    }
  }

  @Command(
      name = "delete",
      description = "Delete a namespace with its streams and caches; prints what was removed.")
  static final class Delete extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "TENANT/NAMESPACE")
    String namespace;

    @Override
    public Integer call() throws Exception {
      return send("DELETE", path(namespace), null);
    }
  }
}
