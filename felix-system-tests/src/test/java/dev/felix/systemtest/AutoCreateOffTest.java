package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.client.ConnectionState;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import dev.felix.client.PublishReceipt;
import dev.felix.client.SubscribeOptions;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.NotFoundException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With auto-create off, unknown streams and caches are NOT_FOUND, typed. */
class AutoCreateOffTest {
  @RegisterExtension
  static final EmbeddedFelix FELIX =
      EmbeddedFelix.with("FELIX_STREAMS_AUTO_CREATE", "false", "FELIX_CACHES_AUTO_CREATE", "false");

  @Test
  void publishAndSubscribeToAnUnknownStreamAreNotFoundAndTheConnectionStays() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("unknown");
    FelixClient client = FELIX.connect();

    assertThatThrownBy(() -> client.publish(stream, Records.payloadBytes(0)))
        .isInstanceOf(NotFoundException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    CompletableFuture<PublishReceipt> async = client.publishAsync(stream, Records.payloadBytes(1));
    assertThatThrownBy(() -> async.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(NotFoundException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThatThrownBy(() -> client.subscribe(stream, SubscribeOptions.earliest()))
        .isInstanceOf(NotFoundException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.NOT_FOUND);

    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThatThrownBy(() -> client.subscribe(stream, SubscribeOptions.latest()))
        .isInstanceOf(NotFoundException.class);
    assertThat(FELIX.metrics().errors("NOT_FOUND")).isGreaterThanOrEqualTo(4);
    assertThat(FELIX.metrics().value("felix_broker_streams")).isZero();
  }

  @Test
  void callsOnAnUnknownCacheAreNotFoundAndTheConnectionStays() {
    FelixClient client = FELIX.connect();
    FelixCache cache = client.cache(EmbeddedFelix.uniqueStream("no-cache"));
    assertThatThrownBy(() -> cache.put("k", "v", null))
        .isInstanceOf(NotFoundException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThatThrownBy(() -> cache.get("k")).isInstanceOf(NotFoundException.class);
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
  }
}
