package dev.felix.examples;

import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.client.PublishReceipt;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Publish three messages and read them back. Start a broker first ({@code ./felix server}); the
 * client trusts the development CA it wrote to {@code ./data/tls/dev-ca.pem}.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * java -cp "examples/target/classes:felix-cli/target/lib/*" dev.felix.examples.Quickstart
 * </pre>
 */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    FelixOptions options =
        FelixOptions.builder()
            .serverAddress("127.0.0.1:5000")
            .caFile(Path.of("data/tls/dev-ca.pem"))
            .build();
    try (FelixClient felix = Felix.connect(options);
        Subscription orders = felix.subscribe("orders", SubscribeOptions.latest())) {
      for (int i = 1; i <= 3; i++) {
        PublishReceipt receipt =
            felix.publish("orders", ("order " + i).getBytes(StandardCharsets.UTF_8));
        System.out.println("published at offset " + receipt.offset());
      }
      for (int i = 0; i < 3; i++) {
        ReceivedRecord record = orders.poll(Duration.ofSeconds(5));
        if (record == null) {
          throw new IllegalStateException("no record within 5 s");
        }
        System.out.println("received " + record.payloadAsString() + " @ " + record.offset());
      }
    }
  }
}
