package dev.felix.examples;

import dev.felix.client.CacheEntry;
import dev.felix.client.Felix;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * A session cache with a TTL, and an optimistic counter with compare-and-set. Start a broker first
 * ({@code ./felix server}).
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * java -cp "examples/target/classes:felix-cli/target/lib/*" dev.felix.examples.CacheExample
 * </pre>
 */
public final class CacheExample {
  private CacheExample() {}

  public static void main(String[] args) {
    FelixOptions options =
        FelixOptions.builder()
            .serverAddress("127.0.0.1:5000")
            .caFile(Path.of("data/tls/dev-ca.pem"))
            .build();
    try (FelixClient felix = Felix.connect(options)) {
      FelixCache sessions = felix.cache("sessions");
      sessions.put("session:42", "user=ada", Duration.ofMinutes(30));
      CacheEntry session = sessions.get("session:42").orElseThrow();
      System.out.println(
          "session:42 = "
              + session.valueAsString()
              + " (expires in "
              + session.ttlRemaining().orElseThrow()
              + ")");

      // A counter that concurrent writers increment without losing updates: read the version,
      // write only if nobody changed it since, retry otherwise.
      FelixCache counters = felix.cache("counters");
      byte[] key = "page-views".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 3; i++) {
        long value = increment(counters, key);
        System.out.println("page-views = " + value);
      }
    }
  }

  private static long increment(FelixCache counters, byte[] key) {
    while (true) {
      var current = counters.get(key);
      long next = current.map(e -> Long.parseLong(e.valueAsString()) + 1).orElse(1L);
      long expected = current.map(CacheEntry::version).orElse(0L);
      byte[] value = Long.toString(next).getBytes(StandardCharsets.UTF_8);
      OptionalLong written = counters.compareAndSet(key, expected, value, null);
      if (written.isPresent()) {
        return next;
      }
    }
  }
}
