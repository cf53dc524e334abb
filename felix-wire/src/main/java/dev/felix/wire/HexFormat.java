package dev.felix.wire;

/**
 * Hex text for golden vectors, tools and logs (JDK 17 has no {@code java.util.HexFormat}).
 * Whitespace is ignored when parsing so vectors can be laid out by field.
 */
public final class HexFormat {
  private HexFormat() {}

  /** Lower-case hex of {@code bytes}, no separators. */
  public static String format(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return out.toString();
  }

  /**
   * Parses hex digits, ignoring whitespace and {@code #} comments to the end of a line.
   *
   * @throws IllegalArgumentException on an odd digit count or a non-hex character
   */
  public static byte[] parse(CharSequence text) {
    StringBuilder digits = new StringBuilder(text.length());
    boolean comment = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '#') {
        comment = true;
      } else if (c == '\n') {
        comment = false;
      } else if (!comment && !Character.isWhitespace(c)) {
        if (Character.digit(c, 16) < 0) {
          throw new IllegalArgumentException("not a hex digit: '" + c + "' at " + i);
        }
        digits.append(c);
      }
    }
    if (digits.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits: " + digits.length());
    }
    byte[] bytes = new byte[digits.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] =
          (byte)
              ((Character.digit(digits.charAt(2 * i), 16) << 4)
                  | Character.digit(digits.charAt(2 * i + 1), 16));
    }
    return bytes;
  }
}
