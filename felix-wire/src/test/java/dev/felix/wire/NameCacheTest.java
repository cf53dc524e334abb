package dev.felix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Decoded names come from a bounded cache: a repeated name is the same instance (no allocation),
 * names sharing a slot never answer for each other, and invalid names are refused every time.
 */
class NameCacheTest {
  private static ByteBuffer encodedName(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer buffer = ByteBuffer.allocate(1 + bytes.length);
    buffer.put((byte) bytes.length).put(bytes).flip();
    return buffer.asReadOnlyBuffer();
  }

  private static String decode(String name) {
    PayloadReader reader = new PayloadReader(encodedName(name), WireLimits.DEFAULTS);
    String decoded = reader.name("stream");
    assertThat(reader.remaining()).isZero();
    return decoded;
  }

  @Test
  void aRepeatedNameIsDecodedToTheSameInstance() {
    String first = decode("orders-eu.v1");
    String second = decode("orders-eu.v1");

    assertThat(second).isEqualTo("orders-eu.v1").isSameAs(first);
  }

  @Test
  void onlyNamesThatWereNotCachedCountAsMisses() {
    decode("counted-once");
    long before = PayloadReader.nameCacheMisses();

    decode("counted-once");
    decode("counted-once");
    decode("another-name");

    assertThat(PayloadReader.nameCacheMisses() - before).isEqualTo(1);
  }

  @Test
  void namesSharingASlotAreComparedByContentNotByHash() {
    NameCache cache = new NameCache();
    // "Aa" and "BB" have the same String hash, so they share a slot.
    cache.remember("Aa");
    ByteBuffer bb = ByteBuffer.wrap("BB".getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer aa = ByteBuffer.wrap("Aa".getBytes(StandardCharsets.ISO_8859_1));

    assertThat(NameCache.hash(bb, 0, 2)).isEqualTo("BB".hashCode()).isEqualTo("Aa".hashCode());
    assertThat(cache.find(bb, 0, 2, NameCache.hash(bb, 0, 2))).isNull();
    assertThat(cache.find(aa, 0, 2, NameCache.hash(aa, 0, 2))).isEqualTo("Aa");
    assertThat(decode("BB")).isEqualTo("BB");
    assertThat(decode("Aa")).isEqualTo("Aa");
  }

  @Test
  void anInvalidNameIsRefusedEveryTimeAndNeverRemembered() {
    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> decode("bad name"))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("stream must be");
    }
  }

  @Test
  void aTruncatedLengthStillNamesTheField() {
    PayloadReader reader =
        new PayloadReader(ByteBuffer.allocate(0).asReadOnlyBuffer(), WireLimits.DEFAULTS);

    assertThatThrownBy(() -> reader.name("tenant"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("tenant length");
  }
}
