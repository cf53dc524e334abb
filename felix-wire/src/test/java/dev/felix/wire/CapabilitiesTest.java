package dev.felix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Capability bits: their wire values and the negotiation rule. */
class CapabilitiesTest {
  @Test
  void bitsHaveTheirWireValues() {
    assertThat(Capabilities.IDEMPOTENT_PRODUCER).isEqualTo(0x1L);
    assertThat(Capabilities.QUEUES).isEqualTo(0x2L);
    assertThat(Capabilities.CACHE).isEqualTo(0x4L);
    assertThat(Capabilities.CACHE_MULTI).isEqualTo(0x8L);
    assertThat(Capabilities.CACHE_WATCH).isEqualTo(0x10L);
    assertThat(Capabilities.DURABLE_CURSORS).isEqualTo(0x20L);
    assertThat(Capabilities.COMPRESSION).isEqualTo(0x1_0000_0000L);
    assertThat(Capabilities.ENCRYPTION).isEqualTo(0x2_0000_0000L);
    assertThat(Capabilities.SUPPORTED_V1).isEqualTo(0x3FL);
  }

  @Test
  void theServerGrantsTheIntersection() {
    long requested = Capabilities.QUEUES | Capabilities.COMPRESSION | (1L << 60);

    long granted = Capabilities.negotiate(requested, Capabilities.SUPPORTED_V1);

    assertThat(granted).isEqualTo(Capabilities.QUEUES);
    assertThat(Capabilities.has(granted, Capabilities.QUEUES)).isTrue();
    assertThat(Capabilities.has(granted, Capabilities.COMPRESSION)).isFalse();
    assertThat(Capabilities.has(granted, Capabilities.QUEUES | Capabilities.CACHE)).isFalse();
  }
}
