package dev.felix.cli;

import dev.felix.client.CacheWatchEvent;
import dev.felix.client.CacheWatchHandle;
import dev.felix.client.CacheWatchListener;
import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code felix cache watch CACHE PREFIX}: prints the matching entries, a snapshot-complete line,
 * then every change, one per line, until {@code --count} changes or Ctrl-C.
 */
@Command(
    name = "watch",
    description =
        "Print the entries of CACHE whose keys start with PREFIX (\"\" = all), then every change.")
final class CacheWatchCommand implements Callable<Integer> {
  /** Events waiting to be printed; past it the watch ends (the terminal cannot keep up). */
  static final int MAX_PENDING_EVENTS = 100_000;

  @Parameters(index = "0", paramLabel = "CACHE")
  String cache;

  @Parameters(index = "1", paramLabel = "PREFIX", defaultValue = "")
  String prefix;

  @Option(names = "--count", description = "Exit after this many changes (after the snapshot).")
  Long count;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json (one object a line).")
  String format;

  @Mixin ConnectionOptions connection;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** One thing to print: an event, the snapshot marker, or the end. */
  private record Item(CacheWatchEvent event, boolean snapshotComplete, FelixException error) {}

  @Override
  public Integer call() throws InterruptedException {
    boolean json = "json".equalsIgnoreCase(format);
    PrintWriter out = spec.commandLine().getOut();
    BlockingQueue<Item> items = new ArrayBlockingQueue<>(MAX_PENDING_EVENTS);
    try (FelixClient client = Felix.connect(connection.toOptions("felix-cli cache watch").build());
        CacheWatchHandle watch =
            client.cache(StreamNames.parseCache(cache)).watch(prefix, new Enqueue(items))) {
      long changes = 0;
      while (count == null || changes < count) {
        Item item = items.take();
        if (item.error() != null) {
          throw item.error();
        }
        if (item.snapshotComplete()) {
          out.println(json ? "{\"snapshotComplete\":true}" : "-- snapshot complete --");
        } else {
          out.println(json ? toJson(item.event()) : toText(item.event()));
          if (item.event().kind() != CacheWatchEvent.Kind.SNAPSHOT) {
            changes++;
          }
        }
        out.flush();
      }
      return watch.isActive() ? 0 : 3;
    }
  }

  static String toText(CacheWatchEvent event) {
    String line = event.kind() + " " + event.keyAsString() + " v" + event.version();
    if (event.kind().isRemoval()) {
      return line;
    }
    return line
        + event.ttlRemaining().map(ttl -> " ttl " + ttl).orElse("")
        + " "
        + event.valueAsString();
  }

  static String toJson(CacheWatchEvent event) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("kind", event.kind().name());
    fields.put("key", event.keyAsString());
    fields.put("version", event.version());
    if (!event.kind().isRemoval()) {
      fields.put("ttlMs", event.ttlRemaining().map(Duration::toMillis).orElse(-1L));
      fields.put("value", event.valueAsString());
    }
    return Json.object(fields);
  }

  /** Queues events from the I/O thread; never blocks it. */
  private static final class Enqueue implements CacheWatchListener {
    private final BlockingQueue<Item> items;

    Enqueue(BlockingQueue<Item> items) {
      this.items = items;
    }

    @Override
    public void onSnapshotEntry(CacheWatchEvent entry) {
      offer(new Item(entry, false, null));
    }

    @Override
    public void onSnapshotComplete() {
      offer(new Item(null, true, null));
    }

    @Override
    public void onChange(CacheWatchEvent change) {
      offer(new Item(change, false, null));
    }

    @Override
    public void onError(FelixException error) {
      items.clear();
      offer(new Item(null, false, error));
    }

    private void offer(Item item) {
      if (!items.offer(item)) {
        items.clear();
        items.offer(
            new Item(
                null,
                false,
                new LimitException(
                    ErrorCode.SLOW_CONSUMER,
                    "the output fell " + MAX_PENDING_EVENTS + " events behind")));
      }
    }
  }
}
