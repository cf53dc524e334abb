package dev.felix.wire.message;

/**
 * Checks UTF-8 text fields when a message is built, so that whatever a peer can encode its decoder
 * accepts (a lone surrogate or an over-long string fails here, not at the receiver).
 */
final class TextFields {
  private TextFields() {}

  static String require(String field, String value, int maxBytes) {
    if (value == null) {
      throw new NullPointerException(field);
    }
    if (!RecordCodec.isWellFormed(value)) {
      throw new IllegalArgumentException(field + " has an unpaired surrogate");
    }
    int bytes = RecordCodec.utf8Length(value);
    if (bytes > maxBytes) {
      throw new IllegalArgumentException(
          field + " is " + bytes + " UTF-8 bytes, maximum " + maxBytes);
    }
    return value;
  }
}
