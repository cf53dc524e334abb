package dev.felix.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransportConfigTest {
  @Test
  void defaultsAreTheMeasuredValues() {
    TransportConfig config = TransportConfig.defaults();
    assertThat(config.initialMaxDataBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(config.initialMaxStreamDataBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(config.socketReceiveBufferBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(config.socketSendBufferBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(config.maxUdpPayloadBytes()).isEqualTo(1350);
    assertThat(config.congestionControl()).isEqualTo(CongestionControl.CUBIC);
    assertThat(config.wireLimits().maxFramePayloadBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(config.toBuilder().build()).isEqualTo(config);
  }

  @Test
  void invalidValuesAreRejectedNamingTheSetting() {
    assertThatThrownBy(() -> TransportConfig.builder().maxIdleTimeoutMs(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxIdleTimeoutMs")
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> TransportConfig.builder().maxUniStreams(0).build())
        .hasMessageContaining("maxUniStreams");
    assertThatThrownBy(() -> TransportConfig.builder().maxUdpPayloadBytes(1000).build())
        .hasMessageContaining("maxUdpPayloadBytes");
    assertThatThrownBy(
            () ->
                TransportConfig.builder()
                    .initialMaxDataBytes(1024 * 1024)
                    .initialMaxStreamDataBytes(2 * 1024 * 1024)
                    .build())
        .hasMessageContaining("initialMaxStreamDataBytes");
    assertThatThrownBy(
            () ->
                TransportConfig.builder()
                    .sendQueueHighWaterMarkBytes(64 * 1024)
                    .sendQueueLowWaterMarkBytes(128 * 1024)
                    .build())
        .hasMessageContaining("sendQueueLowWaterMarkBytes");
  }

  @Test
  void serverTlsNeedsBothFilesOrNeither() {
    java.nio.file.Path some = java.nio.file.Path.of("x.pem");
    java.nio.file.Path data = java.nio.file.Path.of("data");
    assertThat(ServerTlsConfig.resolve(null, null, data).isDevelopment()).isTrue();
    assertThat(ServerTlsConfig.resolve(some, some, data).isDevelopment()).isFalse();
    assertThatThrownBy(() -> ServerTlsConfig.resolve(some, null, data))
        .hasMessageContaining("FELIX_TLS_KEY");
  }
}
