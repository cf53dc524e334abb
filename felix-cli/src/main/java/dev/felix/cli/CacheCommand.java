package dev.felix.cli;

import dev.felix.client.CacheEntry;
import dev.felix.client.Felix;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import dev.felix.wire.message.CacheRef;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code felix cache put|get|del}: one cache call from the shell. */
@Command(
    name = "cache",
    description = {
      "Read and write a named cache.",
      "CACHE is NAME (tenant and namespace 'default') or TENANT/NAMESPACE/NAME."
    },
    subcommands = {
      CacheCommand.Put.class,
      CacheCommand.Get.class,
      CacheCommand.Delete.class,
      CommandLine.HelpCommand.class
    })
final class CacheCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static CacheRef parse(String name) {
    String[] parts = name.split("/", -1);
    if (parts.length == 1) {
      return CacheRef.of(parts[0]);
    }
    if (parts.length == 3) {
      return new CacheRef(parts[0], parts[1], parts[2]);
    }
    throw new CommandLine.ParameterException(
        new CommandLine(new CacheCommand()),
        "cache must be NAME or TENANT/NAMESPACE/NAME: " + name);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Command(name = "put", description = "Store VALUE under KEY; prints the entry's new version.")
  static final class Put implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CACHE")
    String cache;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Parameters(index = "2", paramLabel = "VALUE")
    String value;

    @Option(
        names = "--ttl",
        converter = DurationParser.class,
        description = "Expire after this long (e.g. 30s, 5m); default: the cache's default TTL.")
    Duration ttl;

    @Option(
        names = "--if-absent",
        description = "Store only if KEY has no entry; exit code 1 when it has one.")
    boolean ifAbsent;

    @Mixin ConnectionOptions connection;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (FelixClient client = Felix.connect(connection.toOptions("felix-cli cache").build())) {
        FelixCache target = client.cache(parse(cache));
        PrintWriter out = spec.commandLine().getOut();
        if (ifAbsent) {
          var version = target.putIfAbsent(utf8(key), utf8(value), ttl);
          if (version.isEmpty()) {
            spec.commandLine().getErr().println("key exists: " + key);
            return 1;
          }
          out.println("version " + version.getAsLong());
          return 0;
        }
        out.println("version " + target.put(utf8(key), utf8(value), ttl));
        return 0;
      }
    }
  }

  @Command(
      name = "get",
      description = "Print the value of KEY; exit code 1 when it is absent or expired.")
  static final class Get implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CACHE")
    String cache;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Option(
        names = "--verbose",
        description = "Also print the version and remaining TTL (to stderr).")
    boolean verbose;

    @Mixin ConnectionOptions connection;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (FelixClient client = Felix.connect(connection.toOptions("felix-cli cache").build())) {
        Optional<CacheEntry> entry = client.cache(parse(cache)).get(utf8(key));
        if (entry.isEmpty()) {
          spec.commandLine().getErr().println("(absent) " + key);
          return 1;
        }
        spec.commandLine().getOut().println(entry.get().valueAsString());
        if (verbose) {
          spec.commandLine()
              .getErr()
              .println(
                  "version "
                      + entry.get().version()
                      + ", ttl "
                      + entry.get().ttlRemaining().map(Duration::toString).orElse("none"));
        }
        return 0;
      }
    }
  }

  @Command(
      name = "del",
      aliases = "delete",
      description = "Remove KEY; exit code 1 when there was no entry.")
  static final class Delete implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CACHE")
    String cache;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Mixin ConnectionOptions connection;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (FelixClient client = Felix.connect(connection.toOptions("felix-cli cache").build())) {
        boolean removed = client.cache(parse(cache)).delete(utf8(key));
        spec.commandLine().getErr().println(removed ? "deleted " + key : "(absent) " + key);
        return removed ? 0 : 1;
      }
    }
  }
}
