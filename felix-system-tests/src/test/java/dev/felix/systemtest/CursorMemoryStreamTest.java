package dev.felix.systemtest;

import dev.felix.client.FelixClient;
import dev.felix.client.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cursors of memory streams live as long as the broker process: after a restart the stream and its
 * cursors are gone, so the same cursor name starts over at the requested start (documented in
 * docs/broker.md and docs/client.md).
 */
class CursorMemoryStreamTest {
  @RegisterExtension static final EmbeddedFelix FELIX = EmbeddedFelix.with();

  @Test
  void aMemoryStreamsCursorIsForgottenByARestart() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("memory-cursor");
    FelixClient client = FELIX.connect();
    Records.publish(client, stream, 0, 20);
    try (Subscription subscription =
        client.subscribe(stream, CursorSystemTest.cursor("reporter").build())) {
      Records.assertExactly(CursorSystemTest.take(subscription, 10), 0, 10);
      subscription.commit();
    }
    // Before the restart the position holds.
    try (Subscription subscription =
        client.subscribe(stream, CursorSystemTest.cursor("reporter").build())) {
      Records.assertExactly(CursorSystemTest.takeExactly(subscription, 10), 10, 20);
    }
    client.close();

    FELIX.restart();

    FelixClient after = FELIX.connect();
    Records.publish(after, stream, 0, 20);
    try (Subscription subscription =
        after.subscribe(stream, CursorSystemTest.cursor("reporter").build())) {
      Records.assertExactly(CursorSystemTest.takeExactly(subscription, 20), 0, 20);
    }
  }
}
