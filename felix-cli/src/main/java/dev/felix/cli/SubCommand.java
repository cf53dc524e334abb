package dev.felix.cli;

import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.StartPosition;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code felix sub STREAM}: prints one record per line until {@code --count} or Ctrl-C. With {@code
 * --cursor} the position is kept by the broker: committed every second and on exit (also on
 * Ctrl-C), so the next run continues after the last record printed.
 */
@Command(
    name = "sub",
    description = {
      "Subscribe to a stream and print one record per line (payload as UTF-8, or --format json).",
      "STREAM is NAME (tenant and namespace 'default') or TENANT/NAMESPACE/NAME.",
      "With --cursor NAME the broker keeps the position: the next run with the same name continues"
          + " after the last record printed (durable streams keep it across restarts)."
    })
final class SubCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "STREAM")
  String stream;

  @Option(
      names = "--from",
      defaultValue = "latest",
      paramLabel = "POSITION",
      description =
          "latest (default), earliest, offset:N or time:ISO-8601 (e.g. time:2026-11-27T10:00:00Z).")
  String from;

  @Option(names = "--count", description = "Exit after this many records.")
  Long count;

  @Option(names = "--shard", defaultValue = "-1", description = "One shard only (default: all).")
  int shard;

  @Option(names = "--format", defaultValue = "text", description = "text (payload only) or json.")
  String format;

  @Option(
      names = "--cursor",
      paramLabel = "NAME",
      description =
          "Resume and commit this named cursor (each second and on exit); shards without a"
              + " committed position start at --from.")
  String cursor;

  /** How often a cursor is committed: the most a crash makes a later run print again. */
  static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

  @Mixin ConnectionOptions connection;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SubscribeOptions.Builder builder =
        SubscribeOptions.builder().start(position(from)).shard(shard);
    if (cursor != null) {
      builder.cursor(cursor).autoCommit(COMMIT_INTERVAL);
    }
    SubscribeOptions options;
    try {
      options = builder.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    boolean json = "json".equalsIgnoreCase(format);
    PrintWriter out = spec.commandLine().getOut();
    try (FelixClient client = Felix.connect(connection.toOptions("felix-cli sub").build());
        Subscription subscription = client.subscribe(StreamNames.parse(stream), options)) {
      // Ctrl-C skips the finally blocks: closing the subscription from a hook sends the final
      // commit, so what was printed is not printed again next time.
      Thread commitOnExit =
          cursor == null ? null : new Thread(subscription::close, "felix-sub-exit");
      if (commitOnExit != null) {
        Runtime.getRuntime().addShutdownHook(commitOnExit);
      }
      try {
        return print(subscription, json, out);
      } finally {
        if (commitOnExit != null) {
          removeHook(commitOnExit);
        }
      }
    }
  }

  private int print(Subscription subscription, boolean json, PrintWriter out) {
    long received = 0;
    for (ReceivedRecord record : subscription) {
      out.println(json ? toJson(record) : record.payloadAsString());
      out.flush();
      received++;
      if (count != null && received >= count) {
        break;
      }
    }
    return subscription.failure().isPresent() ? 3 : 0;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already exiting: the hook runs (or ran) and commits
    }
  }

  static StartPosition position(String from) {
    if (from.equals("latest")) {
      return StartPosition.LATEST;
    }
    if (from.equals("earliest")) {
      return StartPosition.EARLIEST;
    }
    try {
      if (from.startsWith("offset:")) {
        return StartPosition.offset(Long.parseLong(from.substring("offset:".length())));
      }
      if (from.startsWith("time:")) {
        return StartPosition.timestamp(
            Instant.parse(from.substring("time:".length())).toEpochMilli());
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new CommandLine.ParameterException(
          new CommandLine(new SubCommand()), "invalid --from '" + from + "': " + e.getMessage());
    }
    throw new CommandLine.ParameterException(
        new CommandLine(new SubCommand()),
        "--from must be latest, earliest, offset:N or time:ISO-8601, was '" + from + "'");
  }

  static String toJson(ReceivedRecord record) {
    StringBuilder json = new StringBuilder(128);
    json.append("{\"stream\":").append(Json.quote(record.stream().toString()));
    json.append(",\"shard\":").append(record.shard());
    json.append(",\"offset\":").append(record.offset());
    json.append(",\"timestamp\":")
        .append(Json.quote(Instant.ofEpochMilli(record.timestampMs()).toString()));
    json.append(",\"key\":").append(record.hasKey() ? Json.quote(record.key().toUtf8()) : "null");
    json.append(",\"headers\":{");
    boolean first = true;
    for (Header header : record.headers()) {
      json.append(first ? "" : ",")
          .append(Json.quote(header.name()))
          .append(':')
          .append(Json.quote(header.value().toUtf8()));
      first = false;
    }
    json.append("},\"payload\":").append(Json.quote(record.payloadAsString())).append('}');
    return json.toString();
  }
}
