package dev.felix.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Pins the key-to-shard function: clients may compute it, so it must never change. */
class KeyHashTest {
  private static int hash(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    // Put the key at an offset inside a larger buffer, as it sits inside a record.
    ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 7);
    buffer.position(5);
    buffer.put(bytes);
    return KeyHash.murmur3(buffer, 5, bytes.length);
  }

  @Test
  void matchesPublishedMurmur3Vectors() {
    assertThat(hash("")).isZero();
    assertThat(hash("hello")).isEqualTo(0x248bfa47);
    assertThat(hash("The quick brown fox jumps over the lazy dog")).isEqualTo(0x2e4ff723);
  }

  @Test
  void coversEveryTailLength() {
    assertThat(hash("a")).isEqualTo(0x3c2569b2);
    assertThat(hash("ab")).isEqualTo(0x9bbfd75f);
    assertThat(hash("abc")).isEqualTo(0xb3dd93fa);
  }

  @Test
  void shardIsNonNegativeModuloOfTheMaskedHash() {
    ByteBuffer key = ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(KeyHash.shard(key, 0, 5, 8)).isEqualTo(7);
    assertThat(KeyHash.shard(key, 0, 5, 3)).isEqualTo(1);
    ByteBuffer user = ByteBuffer.wrap("user-42".getBytes(StandardCharsets.UTF_8));
    assertThat(KeyHash.shard(user, 0, 7, 8)).isZero();
  }
}
