package dev.felix.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Documented defaults and validation messages that name the setting. */
class OptionsTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    FelixOptions options = FelixOptions.defaults();
    assertThat(options.serverAddress()).isEqualTo("127.0.0.1:5000");
    assertThat(options.trustSystemStore()).isTrue();
    assertThat(options.caFile()).isEmpty();
    assertThat(options.insecure()).isFalse();
    assertThat(options.clientName()).isEqualTo("felix-java");
    assertThat(options.authToken()).isEmpty();
    assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.reconnect()).isEqualTo(ReconnectPolicy.DEFAULT);
    assertThat(options.batching()).isEqualTo(BatchingPolicy.DEFAULT);
    assertThat(options.batching().linger()).isZero();
    assertThat(options.receiveBufferRecords()).isEqualTo(10_000);
    assertThat(options.receiveBufferBytes()).isEqualTo(8L << 20);
    assertThat(options.transport().eventLoopThreads()).isEqualTo(1);
    assertThat(options.transport().connectTimeoutMs()).isEqualTo(10_000);
  }

  @Test
  void invalidSettingsAreNamed() {
    assertThatThrownBy(() -> FelixOptions.builder().serverAddress("nowhere").build())
        .hasMessageContaining("serverAddress");
    assertThatThrownBy(
            () ->
                FelixOptions.builder()
                    .caFile(Path.of("ca.pem"))
                    .insecure(true)
                    .caFile(Path.of("x"))
                    .build())
        .hasMessageContaining("insecure");
    assertThatThrownBy(() -> FelixOptions.builder().trustSystemStore(false).build())
        .hasMessageContaining("trustSystemStore");
    assertThatThrownBy(() -> FelixOptions.builder().requestTimeout(Duration.ZERO).build())
        .hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> FelixOptions.builder().clientName("x".repeat(256)).build())
        .hasMessageContaining("clientName");
    assertThatThrownBy(() -> BatchingPolicy.DEFAULT.withMaxBatchRecords(0))
        .hasMessageContaining("maxBatchRecords");
    assertThatThrownBy(() -> ReconnectPolicy.DEFAULT.withJitter(1.5))
        .hasMessageContaining("jitter");
    assertThatThrownBy(() -> SubscribeOptions.builder().shard(-2).build())
        .hasMessageContaining("shard");
    assertThatThrownBy(() -> OutgoingMessage.builder("s").key(new byte[4097]).build())
        .hasMessageContaining("key");
  }

  @Test
  void toBuilderKeepsEverything() {
    FelixOptions options =
        FelixOptions.builder().serverAddress("[::1]:7000").clientName("c").build();
    FelixOptions copy = options.toBuilder().build();
    assertThat(copy.serverAddress()).isEqualTo("[::1]:7000");
    assertThat(copy.clientName()).isEqualTo("c");
  }
}
