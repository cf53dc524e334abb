package dev.felix.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code felix admin group list|create|update|get|delete}: consumer groups with their positions,
 * counters and settings ({@code felix queue stats} shows one group readably).
 */
@Command(
    name = "group",
    description =
        "List consumer groups; create, update, get and delete a group's own settings"
            + " (max deliveries, visibility timeout, dead-letter stream, max in flight).",
    subcommands = {
      AdminGroupCommand.ListGroups.class,
      AdminGroupCommand.Create.class,
      AdminGroupCommand.Update.class,
      AdminGroupCommand.Get.class,
      AdminGroupCommand.Delete.class,
      CommandLine.HelpCommand.class
    })
final class AdminGroupCommand implements Runnable {
  private static final String PATH = "/admin/v1/groups";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The group's route: {@code /admin/v1/groups/TENANT/NAMESPACE/STREAM/GROUP}. */
  static String groupPath(String stream, String group) {
    return AdminHttpCall.resourcePath(PATH, stream) + "/" + group;
  }

  @Command(name = "list", description = "Every running consumer group.")
  static final class ListGroups extends AdminHttpCall {
    @Override
    public Integer call() throws Exception {
      return send("GET", PATH, null);
    }
  }

  /** STREAM GROUP and the settings create and update take; absent options keep their value. */
  abstract static class Settings extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "STREAM", description = "NAME or TENANT/NAMESPACE/NAME.")
    String stream;

    @Parameters(index = "1", paramLabel = "GROUP")
    String group;

    @Option(
        names = "--max-deliveries",
        description = "Deliveries of a record (first included) before it is dead-lettered.")
    Integer maxDeliveries;

    @Option(
        names = "--visibility-timeout",
        converter = DurationParser.class,
        description = "How long a lease lasts without an ack (e.g. 30s).")
    Duration visibilityTimeout;

    @Option(
        names = "--dead-letter",
        paramLabel = "NAME",
        description = "Dead-letter stream in the group's namespace (default: STREAM.dlq).")
    String deadLetter;

    @Option(
        names = "--max-in-flight",
        description = "Leases of a member that asks for none (its Subscribe says 0).")
    Integer maxInFlight;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      if (maxDeliveries != null) {
        body.put("maxDeliveries", maxDeliveries);
      }
      if (visibilityTimeout != null) {
        body.put("visibilityTimeoutMs", visibilityTimeout.toMillis());
      }
      if (deadLetter != null) {
        body.put("deadLetterStream", deadLetter);
      }
      if (maxInFlight != null) {
        body.put("maxInFlight", maxInFlight);
      }
      return send("PUT", groupPath(stream, group), Json.object(body));
    }
  }

  @Command(
      name = "create",
      description = "Give a group settings of its own (the broker's values for options not given).")
  static final class Create extends Settings {}

  @Command(
      name = "update",
      description = "Change a group's settings; applied at once to the running group.")
  static final class Update extends Settings {}

  @Command(
      name = "get",
      description = "One group: settings in force and, when running, its figures (exit 1: none).")
  static final class Get extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "STREAM")
    String stream;

    @Parameters(index = "1", paramLabel = "GROUP")
    String group;

    @Override
    public Integer call() throws Exception {
      return send("GET", groupPath(stream, group), null);
    }
  }

  @Command(
      name = "delete",
      description = "Delete a group: its settings, members, stored position and counters.")
  static final class Delete extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "STREAM")
    String stream;

    @Parameters(index = "1", paramLabel = "GROUP")
    String group;

    @Override
    public Integer call() throws Exception {
      return send("DELETE", groupPath(stream, group), null);
    }
  }
}
