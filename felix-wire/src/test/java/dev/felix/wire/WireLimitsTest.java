package dev.felix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** {@link WireLimits} bounds, validated once at construction. */
class WireLimitsTest {
  @Test
  void defaultsAreTheDocumentedValues() {
    WireLimits limits = WireLimits.DEFAULTS;

    assertThat(limits.maxFramePayloadBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(limits.maxRecordsPerBatch()).isEqualTo(10_000);
    assertThat(limits.maxKeyBytes()).isEqualTo(4096);
    assertThat(limits.maxHeadersPerRecord()).isEqualTo(64);
    assertThat(limits.maxTokenBytes()).isEqualTo(16 * 1024);
    assertThat(limits.maxBatchEntries()).isEqualTo(10_000);
  }

  @Test
  void acceptsTheExtremesOfEveryRange() {
    assertThat(new WireLimits(1024, 1, 1, 0, 0, 1).maxHeadersPerRecord()).isZero();
    assertThat(
            new WireLimits(
                    WireLimits.ABSOLUTE_MAX_FRAME_PAYLOAD_BYTES,
                    1_000_000,
                    0xFFFF,
                    0xFFFF,
                    0xFFFF,
                    1_000_000)
                .maxFramePayloadBytes())
        .isEqualTo(64 * 1024 * 1024);
  }

  @Test
  void rejectsValuesOutsideTheRanges() {
    assertThatIllegalArgumentException().isThrownBy(() -> new WireLimits(1023, 1, 1, 0, 0, 1));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new WireLimits(WireLimits.ABSOLUTE_MAX_FRAME_PAYLOAD_BYTES + 1, 1, 1, 0, 0, 1))
        .withMessageContaining("maxFramePayloadBytes");
    assertThatIllegalArgumentException().isThrownBy(() -> new WireLimits(1024, 0, 1, 0, 0, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new WireLimits(1024, 1, 0, 0, 0, 1));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WireLimits(1024, 1, 0x10000, 0, 0, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new WireLimits(1024, 1, 1, -1, 0, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new WireLimits(1024, 1, 1, 0, -1, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new WireLimits(1024, 1, 1, 0, 0, 0));
  }
}
