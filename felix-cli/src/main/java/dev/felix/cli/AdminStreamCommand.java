package dev.felix.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code felix admin stream create|list|describe|delete}: the admin API's stream routes from the
 * shell. Prints the server's JSON; exit code 0 on success, 1 when the stream does not exist, 2 for
 * any other refusal (its JSON error, naming the field, goes to stderr).
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

  /** The HTTP address option and the call, shared by every sub-command. */
  abstract static class HttpCall implements Callable<Integer> {
    @Option(
        names = "--http",
        paramLabel = "HOST:PORT",
        defaultValue = "127.0.0.1:8080",
        description = "The broker's HTTP address (default: ${DEFAULT-VALUE}).")
    String http;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    int send(String method, String path, String body) throws IOException, InterruptedException {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://" + http + path))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body))
              .build();
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      boolean ok = response.statusCode() / 100 == 2;
      (ok ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(response.body());
      if (ok) {
        return 0;
      }
      return response.statusCode() == 404 ? 1 : 2;
    }

    static String pathOf(String stream) {
      String[] parts = stream.split("/", -1);
      return PATH + "/" + (parts.length == 3 ? stream : "default/default/" + stream);
    }
  }

  @Command(
      name = "create",
      description = "Create a stream: memory (default) or --durable with fsync and retention.")
  static final class Create extends HttpCall {
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
      String[] parts = stream.split("/", -1);
      Map<String, Object> body = new LinkedHashMap<>();
      if (parts.length == 3) {
        body.put("tenant", parts[0]);
        body.put("namespace", parts[1]);
        body.put("name", parts[2]);
      } else {
        body.put("name", stream);
      }
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
  static final class ListStreams extends HttpCall {
    @Override
    public Integer call() throws Exception {
      return send("GET", PATH, null);
    }
  }

  @Command(name = "describe", description = "One stream; exit code 1 when it does not exist.")
  static final class Describe extends HttpCall {
    @Parameters(index = "0", paramLabel = "STREAM")
    String stream;

    @Override
    public Integer call() throws Exception {
      return send("GET", pathOf(stream), null);
    }
  }

  @Command(name = "delete", description = "Delete a stream and its files; prints bytes removed.")
  static final class Delete extends HttpCall {
    @Parameters(index = "0", paramLabel = "STREAM")
    String stream;

    @Override
    public Integer call() throws Exception {
      return send("DELETE", pathOf(stream), null);
    }
  }
}
