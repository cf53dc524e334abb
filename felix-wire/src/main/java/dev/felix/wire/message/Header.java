package dev.felix.wire.message;

import dev.felix.wire.Bytes;
import java.util.Objects;

/**
 * One record header: a UTF-8 name (1 to 255 bytes) and a binary value (up to 65,535 bytes).
 *
 * @param name header name, compared byte for byte (case-sensitive)
 * @param value header value
 */
public record Header(String name, Bytes value) {
  public static final int MAX_NAME_BYTES = 255;
  public static final int MAX_VALUE_BYTES = 0xFFFF;

  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (!RecordCodec.isWellFormed(name)) {
      throw new IllegalArgumentException("header name has an unpaired surrogate");
    }
    int nameBytes = RecordCodec.utf8Length(name);
    if (nameBytes == 0 || nameBytes > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("header name must be 1-255 UTF-8 bytes: " + nameBytes);
    }
    if (value.length() > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("header value exceeds 65535 bytes: " + value.length());
    }
  }

  public static Header of(String name, String value) {
    return new Header(name, Bytes.utf8(value));
  }
}
