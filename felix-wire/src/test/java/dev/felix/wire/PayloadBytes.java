package dev.felix.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A tiny big-endian byte builder for hand-made (often invalid) payloads in tests. It checks
 * nothing, on purpose: tests use it to write values the real {@link PayloadWriter} refuses.
 */
public final class PayloadBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public static PayloadBytes create() {
    return new PayloadBytes();
  }

  public PayloadBytes u8(int value) {
    out.write(value);
    return this;
  }

  public PayloadBytes u16(int value) {
    return u8(value >>> 8).u8(value);
  }

  public PayloadBytes u32(long value) {
    return u16((int) (value >>> 16) & 0xFFFF).u16((int) value & 0xFFFF);
  }

  public PayloadBytes i32(int value) {
    return u32(value & 0xFFFF_FFFFL);
  }

  public PayloadBytes i64(long value) {
    return u32(value >>> 32).u32(value & 0xFFFF_FFFFL);
  }

  public PayloadBytes raw(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    return this;
  }

  public PayloadBytes hex(String hex) {
    return raw(HexFormat.parse(hex));
  }

  /** u8 length + ISO-8859-1 bytes: how names travel (no validation here). */
  public PayloadBytes name(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
    return u8(bytes.length).raw(bytes);
  }

  /** The three names of a stream or cache reference. */
  public PayloadBytes ref(String tenant, String namespace, String resource) {
    return name(tenant).name(namespace).name(resource);
  }

  /** The reference {@code acme/prod/orders} used throughout the tests. */
  public PayloadBytes orders() {
    return ref("acme", "prod", "orders");
  }

  /** u16 length + UTF-8. */
  public PayloadBytes utf8(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return u16(bytes.length).raw(bytes);
  }

  /** u16 length + raw bytes. */
  public PayloadBytes bytes16(byte[] bytes) {
    return u16(bytes.length).raw(bytes);
  }

  /** u32 length + raw bytes. */
  public PayloadBytes bytes32(byte[] bytes) {
    return u32(bytes.length).raw(bytes);
  }

  public int size() {
    return out.size();
  }

  public byte[] toArray() {
    return out.toByteArray();
  }
}
