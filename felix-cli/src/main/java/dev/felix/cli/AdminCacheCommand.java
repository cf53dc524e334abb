package dev.felix.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code felix admin cache create|list|describe|update|delete}: the cache routes. */
@Command(
    name = "cache",
    description = "Create, list, describe, update (TTL defaults, value limit) and delete caches.",
    subcommands = {
      AdminCacheCommand.Create.class,
      AdminCacheCommand.ListCaches.class,
      AdminCacheCommand.Describe.class,
      AdminCacheCommand.Update.class,
      AdminCacheCommand.Delete.class,
      CommandLine.HelpCommand.class
    })
final class AdminCacheCommand implements Runnable {
  private static final String PATH = "/admin/v1/caches";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The settings both create and update take. */
  abstract static class Settings extends AdminHttpCall {
    @Option(
        names = "--default-ttl",
        converter = DurationParser.class,
        description = "TTL of puts that ask for none (e.g. 5m; 0: never expire).")
    Duration defaultTtl;

    @Option(
        names = "--max-ttl",
        converter = DurationParser.class,
        description = "Cap on any TTL (0: no cap; then --default-ttl must be set).")
    Duration maxTtl;

    @Option(
        names = "--max-value-bytes",
        converter = SizeParser.class,
        description = "Largest value accepted (e.g. 64KiB).")
    Long maxValueBytes;

    void putSettings(Map<String, Object> body) {
      if (defaultTtl != null) {
        body.put("defaultTtlMs", defaultTtl.toMillis());
      }
      if (maxTtl != null) {
        body.put("maxTtlMs", maxTtl.toMillis());
      }
      if (maxValueBytes != null) {
        body.put("maxValueBytes", maxValueBytes);
      }
    }
  }

  @Command(
      name = "create",
      description =
          "Create a cache in an existing namespace: memory, or --durable (survives restarts).")
  static final class Create extends Settings {
    @Parameters(index = "0", paramLabel = "CACHE", description = "NAME or TENANT/NAMESPACE/NAME.")
    String cache;

    @Option(
        names = "--max-bytes",
        converter = SizeParser.class,
        description = "Memory bound of the cache (e.g. 64MiB; default: the broker's).")
    Long maxBytes;

    @Option(
        names = "--durable",
        description = "Also write every change to a compacted log: the contents survive restarts.")
    boolean durable;

    @Option(
        names = "--fsync",
        description =
            "When a durable cache's writes are answered: always (default), interval, never.")
    String fsync;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      putNames(body, cache);
      if (maxBytes != null) {
        body.put("maxBytes", maxBytes);
      }
      if (durable) {
        body.put("storage", "durable");
      }
      if (fsync != null) {
        body.put("fsync", fsync);
      }
      putSettings(body);
      return send("POST", PATH, Json.object(body));
    }
  }

  @Command(name = "update", description = "Change a cache's TTL defaults and value limit.")
  static final class Update extends Settings {
    @Parameters(index = "0", paramLabel = "CACHE")
    String cache;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      putSettings(body);
      return send("PATCH", resourcePath(PATH, cache), Json.object(body));
    }
  }

  @Command(name = "list", description = "Every cache you administer, with its settings.")
  static final class ListCaches extends AdminHttpCall {
    @Override
    public Integer call() throws Exception {
      return send("GET", PATH, null);
    }
  }

  @Command(name = "describe", description = "One cache; exit code 1 when it does not exist.")
  static final class Describe extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "CACHE")
    String cache;

    @Override
    public Integer call() throws Exception {
      return send("GET", resourcePath(PATH, cache), null);
    }
  }

  @Command(name = "delete", description = "Delete a cache and its entries; prints how many.")
  static final class Delete extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "CACHE")
    String cache;

    @Override
    public Integer call() throws Exception {
      return send("DELETE", resourcePath(PATH, cache), null);
    }
  }
}
