package dev.felix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** {@link Bytes}: value equality, copying rules and the log-safe toString. */
class BytesTest {
  @Test
  void ofCopiesAndWrapTakesOwnership() {
    byte[] source = {1, 2, 3};
    Bytes copied = Bytes.of(source);
    Bytes wrapped = Bytes.wrap(source);
    source[0] = 9;

    assertThat(copied.byteAt(0)).isEqualTo((byte) 1);
    assertThat(wrapped.byteAt(0)).isEqualTo((byte) 9);
    assertThat(copied.toArray()).containsExactly(1, 2, 3);
  }

  @Test
  void equalContentIsEqual() {
    assertThat(Bytes.of(new byte[] {1, 2})).isEqualTo(Bytes.wrap(new byte[] {1, 2}));
    assertThat(Bytes.of(new byte[] {1, 2})).hasSameHashCodeAs(Bytes.wrap(new byte[] {1, 2}));
    assertThat(Bytes.of(new byte[] {1, 2})).isNotEqualTo(Bytes.of(new byte[] {2, 1}));
    assertThat(Bytes.of(new byte[0])).isSameAs(Bytes.EMPTY);
    assertThat(Bytes.utf8("\u00e9").toArray()).containsExactly(0xc3, 0xa9);
    assertThat(Bytes.utf8("h\u00e9").toUtf8()).isEqualTo("h\u00e9");
  }

  @Test
  void buffersAreReadOnlyViews() {
    Bytes bytes = Bytes.of(new byte[] {1, 2, 3});
    ByteBuffer view = bytes.asReadOnlyBuffer();
    ByteBuffer out = ByteBuffer.allocate(4);
    bytes.writeTo(out);

    assertThat(view.isReadOnly()).isTrue();
    assertThat(view.remaining()).isEqualTo(3);
    assertThat(out.position()).isEqualTo(3);
    assertThat(out.array()).containsExactly(1, 2, 3, 0);
  }

  @Test
  void toStringShowsTheLengthAndAtMost32Bytes() {
    assertThat(Bytes.EMPTY).hasToString("Bytes[0]");
    assertThat(Bytes.of(new byte[] {0x0a, (byte) 0xff})).hasToString("Bytes[2] 0aff");
    assertThat(Bytes.of(new byte[40]).toString()).isEqualTo("Bytes[40] " + "00".repeat(32) + "..");
  }
}
