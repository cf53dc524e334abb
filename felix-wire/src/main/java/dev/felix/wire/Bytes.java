package dev.felix.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable byte string with value equality: keys, cache values, header values and tokens in
 * decoded messages. Off the hot path only; batches of records stay in {@link ByteBuffer}s.
 */
public final class Bytes {
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}. */
  public static Bytes of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
  }

  /** Takes ownership of {@code bytes}; the caller must not change them afterwards. */
  public static Bytes wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes);
  }

  public static Bytes utf8(String text) {
    return wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  public int length() {
    return bytes.length;
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  /** A copy of the content. */
  public byte[] toArray() {
    return bytes.clone();
  }

  /** A read-only view; no copy. */
  public ByteBuffer asReadOnlyBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** Writes the content at the buffer's position. */
  public void writeTo(ByteBuffer buffer) {
    buffer.put(bytes);
  }

  public String toUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Bytes that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Hex of the first 32 bytes and the length: safe for logs (never prints a whole payload). */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("Bytes[").append(bytes.length).append("]");
    int shown = Math.min(bytes.length, 32);
    if (shown > 0) {
      out.append(' ');
    }
    for (int i = 0; i < shown; i++) {
      out.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16));
      out.append(Character.forDigit(bytes[i] & 0xF, 16));
    }
    if (shown < bytes.length) {
      out.append("..");
    }
    return out.toString();
  }
}
