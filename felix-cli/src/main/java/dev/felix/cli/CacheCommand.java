package dev.felix.cli;

import dev.felix.client.CacheEntry;
import dev.felix.client.Felix;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
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

/** {@code felix cache put|get|del|watch}: cache calls from the shell. */
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
      CacheWatchCommand.class,
      CommandLine.HelpCommand.class
    })
final class CacheCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * What every cache sub-command shares: the CACHE and KEY parameters, the connection options and a
   * client that lives for one call.
   */
  abstract static class KeyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CACHE")
    String cache;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Mixin ConnectionOptions connection;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() {
      try (FelixClient client = Felix.connect(connection.toOptions("felix-cli cache").build())) {
        return run(client.cache(StreamNames.parseCache(cache)), utf8(key));
      }
    }

    /** The command's one call; returns the exit code. */
    abstract int run(FelixCache target, byte[] keyBytes);

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }
  }

  @Command(name = "put", description = "Store VALUE under KEY; prints the entry's new version.")
  static final class Put extends KeyCommand {
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

    @Override
    int run(FelixCache target, byte[] keyBytes) {
      if (ifAbsent) {
        var version = target.putIfAbsent(keyBytes, utf8(value), ttl);
        if (version.isEmpty()) {
          err().println("key exists: " + key);
          return 1;
        }
        out().println("version " + version.getAsLong());
        return 0;
      }
      out().println("version " + target.put(keyBytes, utf8(value), ttl));
      return 0;
    }
  }

  @Command(
      name = "get",
      description = "Print the value of KEY; exit code 1 when it is absent or expired.")
  static final class Get extends KeyCommand {
    @Option(
        names = "--verbose",
        description = "Also print the version and remaining TTL (to stderr).")
    boolean verbose;

    @Override
    int run(FelixCache target, byte[] keyBytes) {
      Optional<CacheEntry> entry = target.get(keyBytes);
      if (entry.isEmpty()) {
        err().println("(absent) " + key);
        return 1;
      }
      out().println(entry.get().valueAsString());
      if (verbose) {
        err()
            .println(
                "version "
                    + entry.get().version()
                    + ", ttl "
                    + entry.get().ttlRemaining().map(Duration::toString).orElse("none"));
      }
      return 0;
    }
  }

  @Command(
      name = "del",
      aliases = "delete",
      description = "Remove KEY; exit code 1 when there was no entry.")
  static final class Delete extends KeyCommand {
    @Override
    int run(FelixCache target, byte[] keyBytes) {
      boolean removed = target.delete(keyBytes);
      err().println(removed ? "deleted " + key : "(absent) " + key);
      return removed ? 0 : 1;
    }
  }
}
