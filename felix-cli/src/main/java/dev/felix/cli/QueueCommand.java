package dev.felix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.felix.client.ConsumerOptions;
import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.QueueConsumer;
import dev.felix.client.ReceivedRecord;
import dev.felix.wire.message.StreamRef;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code felix queue consume|stats}: a consumer-group member, and a group's figures. */
@Command(
    name = "queue",
    description = {
      "Consume a stream as a member of a consumer group, or show a group's figures.",
      "STREAM is NAME (tenant and namespace 'default') or TENANT/NAMESPACE/NAME."
    },
    subcommands = {
      QueueCommand.Consume.class,
      QueueCommand.Stats.class,
      CommandLine.HelpCommand.class
    })
final class QueueCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Joins the group and prints one record per line; acks each one (auto) or asks stdin. */
  @Command(
      name = "consume",
      description = {
        "Join --group and print each leased record (payload as UTF-8, or --format json).",
        "--ack auto (default) acks each record once printed. --ack manual reads one line from"
            + " stdin per record: empty or 'ack' acks, 'nack' redelivers at once, 'nack 5s' after"
            + " a delay; end of input stops without acking (the lease goes back)."
      })
  static final class Consume implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STREAM")
    String stream;

    @Option(names = "--group", required = true, description = "The consumer group.")
    String group;

    @Option(names = "--count", description = "Exit after this many records.")
    Long count;

    @Option(
        names = "--ack",
        defaultValue = "auto",
        description = "auto (default) or manual (one answer per record on stdin).")
    String ack;

    @Option(
        names = "--max-in-flight",
        defaultValue = "0",
        description = "Records leased to this member at once (default: the broker's).")
    int maxInFlight;

    @Option(
        names = "--from",
        defaultValue = "earliest",
        paramLabel = "POSITION",
        description =
            "Where a new group starts: earliest (default), latest, offset:N or time:ISO-8601."
                + " An existing group continues at its own position.")
    String from;

    @Option(names = "--format", defaultValue = "text", description = "text (payload only) or json.")
    String format;

    @Mixin ConnectionOptions connection;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      boolean manual;
      if (ack.equals("manual")) {
        manual = true;
      } else if (ack.equals("auto")) {
        manual = false;
      } else {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--ack must be auto or manual, was '" + ack + "'");
      }
      boolean json = "json".equalsIgnoreCase(format);
      PrintWriter out = spec.commandLine().getOut();
      BufferedReader answers =
          manual
              ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
              : null;
      ConsumerOptions options =
          ConsumerOptions.builder()
              .start(SubCommand.position(from))
              .maxInFlight(maxInFlight)
              .build();
      StreamRef ref = StreamNames.parse(stream);
      try (FelixClient client = Felix.connect(connection.toOptions("felix-cli queue").build());
          QueueConsumer consumer = client.consumer(ref, group, options)) {
        long handled = 0;
        for (ReceivedRecord record : consumer) {
          out.println(json ? SubCommand.toJson(record) : record.payloadAsString());
          out.flush();
          if (manual) {
            if (!answer(consumer, record, answers.readLine())) {
              break;
            }
          } else {
            consumer.ack(record);
          }
          handled++;
          if (count != null && handled >= count) {
            break;
          }
        }
        return consumer.failure().isPresent() ? 3 : 0;
      }
    }

    /** Applies one stdin answer; false at end of input. */
    private boolean answer(QueueConsumer consumer, ReceivedRecord record, String line) {
      if (line == null) {
        return false;
      }
      String answer = line.trim();
      if (answer.isEmpty() || answer.equals("ack")) {
        consumer.ack(record);
      } else if (answer.equals("nack")) {
        consumer.nack(record, Duration.ZERO);
      } else if (answer.startsWith("nack ")) {
        consumer.nack(record, DurationParser.parse(answer.substring("nack ".length()).trim()));
      } else {
        spec.commandLine().getErr().println("unknown answer '" + answer + "': acking");
        consumer.ack(record);
      }
      return true;
    }
  }

  /** Prints a group's lag, leases and counters from the admin API. */
  @Command(
      name = "stats",
      description =
          "Show a consumer group's lag, in-flight leases, acks, redeliveries and dead letters.")
  static final class Stats extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "STREAM")
    String stream;

    @Option(names = "--group", required = true, description = "The consumer group.")
    String group;

    @Option(names = "--format", defaultValue = "text", description = "text or json.")
    String format;

    @Override
    public Integer call() throws Exception {
      StreamRef ref = StreamNames.parse(stream);
      String path =
          "/admin/v1/groups/"
              + ref.tenant()
              + "/"
              + ref.namespace()
              + "/"
              + ref.stream()
              + "/"
              + group;
      if ("json".equalsIgnoreCase(format)) {
        return send("GET", path, null);
      }
      HttpResponse<String> response = get(path);
      if (response.statusCode() != 200) {
        spec.commandLine().getErr().println(response.body());
        return response.statusCode() == 404 ? 1 : 2;
      }
      print(new ObjectMapper().readTree(response.body()), spec.commandLine().getOut());
      return 0;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://" + http + path))
              .timeout(Duration.ofSeconds(30));
      if (token != null && !token.isBlank()) {
        request.header("Authorization", "Bearer " + token.trim());
      }
      return HttpClient.newHttpClient()
          .send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static void print(JsonNode group, PrintWriter out) {
      boolean running = !group.has("running") || group.get("running").asBoolean();
      out.printf(
          "group %s on %s/%s/%s: %s%n",
          group.get("group").asText(),
          group.get("tenant").asText(),
          group.get("namespace").asText(),
          group.get("stream").asText(),
          running ? group.get("members").asLong() + " members" : "not running");
      JsonNode settings = group.get("settings");
      if (settings != null) {
        out.printf(
            "  settings       max deliveries %d, visibility timeout %d ms, dead letters to %s,"
                + " max in flight %d (%s)%n",
            settings.get("maxDeliveries").asInt(),
            settings.get("visibilityTimeoutMs").asLong(),
            settings.get("deadLetterStream").asText(),
            settings.get("maxInFlight").asInt(),
            group.path("ownSettings").asBoolean() ? "the group's own" : "broker-wide");
      }
      if (!running) {
        out.flush();
        return;
      }
      for (String field :
          new String[] {
            "lag",
            "inFlight",
            "acks",
            "nacks",
            "redeliveries",
            "expiredLeases",
            "deadLettered",
            "staleAcks",
            "lostRecords",
            "windowFull"
          }) {
        out.printf("  %-14s %d%n", field, group.get(field).asLong());
      }
      out.printf(
          "  position       %s%n",
          group.get("durablePosition").asBoolean() ? "durable" : "memory (lost on restart)");
      for (JsonNode shard : group.get("shards")) {
        out.printf(
            "  shard %d: committed %d, next %d, end %d, lag %d%n",
            shard.get("shard").asInt(),
            shard.get("committed").asLong(),
            shard.get("next").asLong(),
            shard.get("end").asLong(),
            shard.get("lag").asLong());
      }
      out.flush();
    }
  }
}
