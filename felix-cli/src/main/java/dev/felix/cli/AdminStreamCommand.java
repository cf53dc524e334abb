package dev.felix.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code felix admin stream create|list|describe|delete}: the admin API's stream routes from the
 * shell ({@link AdminHttpCall}: JSON out, exit codes 0, 1 not found, 2 refused). Streams are
 * created in an existing namespace ({@code felix admin namespace create}) or in {@code
 * default/default}.
 */
@Command(
    name = "stream",
    description = "Create, list, describe and delete streams (admin API on the HTTP port).",
    subcommands = {
      AdminStreamCommand.Create.class,
      AdminStreamCommand.ListStreams.class,
      AdminStreamCommand.Describe.class,
      AdminStreamCommand.Delete.class,
      CommandLine.HelpCommand.class
    })
final class AdminStreamCommand implements Runnable {
  private static final String PATH = "/admin/v1/streams";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "create",
      description = "Create a stream: memory (default) or --durable with fsync and retention.")
  static final class Create extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "STREAM", description = "NAME or TENANT/NAMESPACE/NAME.")
    String stream;

    @Option(names = "--durable", description = "Keep records in segment files (survive restarts).")
    boolean durable;

    @Option(names = "--fsync", description = "always, interval (default) or never.")
    String fsync;

    @Option(
        names = "--retention-time",
        converter = DurationParser.class,
        description = "Delete segments older than this (e.g. 7d; 0 keeps forever).")
    Duration retentionTime;

    @Option(
        names = "--retention-bytes",
        converter = SizeParser.class,
        description = "Keep at most this much per shard (e.g. 10GiB; 0: no limit).")
    Long retentionBytes;

    @Option(names = "--shards", description = "Number of shards (default: the broker's).")
    Integer shards;

    @Option(names = "--backpressure", description = "block, drop_oldest, drop_newest, disconnect.")
    String backpressure;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      putNames(body, stream);
      if (shards != null) {
        body.put("shards", shards);
      }
      if (backpressure != null) {
        body.put("backpressure", backpressure);
      }
      if (durable) {
        body.put("storage", "durable");
      }
      if (fsync != null) {
        body.put("fsync", fsync);
      }
      if (retentionTime != null) {
        body.put("retentionMs", retentionTime.toMillis());
      }
      if (retentionBytes != null) {
        body.put("retentionBytes", retentionBytes);
      }
      return send("POST", PATH, Json.object(body));
    }
  }

  @Command(name = "list", description = "Every stream with its settings and shard offsets.")
  static final class ListStreams extends AdminHttpCall {
    @Override
    public Integer call() throws Exception {
      return send("GET", PATH, null);
    }
  }

  @Command(name = "describe", description = "One stream; exit code 1 when it does not exist.")
  static final class Describe extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "STREAM")
    String stream;

    @Override
    public Integer call() throws Exception {
      return send("GET", resourcePath(PATH, stream), null);
    }
  }

  @Command(name = "delete", description = "Delete a stream and its files; prints bytes removed.")
  static final class Delete extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "STREAM")
    String stream;

    @Override
    public Integer call() throws Exception {
      return send("DELETE", resourcePath(PATH, stream), null);
    }
  }
}
