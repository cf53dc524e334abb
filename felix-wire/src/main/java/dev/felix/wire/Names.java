package dev.felix.wire;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;

/**
 * Rules for tenant, namespace, stream, cache and group names. Names are checked in the decoder so
 * that scoping holds from the first wire byte: no path separators, no control characters, nothing
 * that could escape a data directory or a metrics label.
 *
 * <p>A name is 1 to 128 ASCII characters from {@code [A-Za-z0-9._-]}, not {@code "."} or {@code
 * ".."}.
 */
public final class Names {
  public static final int MAX_LENGTH = 128;

  private Names() {}

  /** True when {@code name} follows the rules above. */
  public static boolean isValid(CharSequence name) {
    int length = name.length();
    if (length == 0 || length > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (!isNameChar(name.charAt(i))) {
        return false;
      }
    }
    return !(name.length() <= 2 && (name.toString().equals(".") || name.toString().equals("..")));
  }

  /**
   * Returns {@code name} when valid.
   *
   * @throws ProtocolException {@link ErrorCode#INVALID_ARGUMENT} naming the field otherwise
   */
  public static String require(String field, String name) {
    if (name == null || !isValid(name)) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          field
              + " must be 1-"
              + MAX_LENGTH
              + " characters of [A-Za-z0-9._-] and not '.' or '..', was '"
              + printable(name)
              + "'");
    }
    return name;
  }

  static boolean isNameChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }

  private static String printable(String name) {
    if (name == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length() && i < MAX_LENGTH; i++) {
      char c = name.charAt(i);
      out.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return out.toString();
  }
}
