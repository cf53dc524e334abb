package dev.felix.loadgen;

import java.util.Locale;

/** How result JSON writes a figure that may be unknown, and text. */
public final class JsonFields {
  private JsonFields() {}

  /** {@code 12.35}, or {@code null} for NaN (a figure the machine did not report). */
  public static String number(double value) {
    return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.2f", value);
  }

  /** {@link #number} with four decimals, for per-message counts well below 1 (W1, W2). */
  public static String fraction(double value) {
    return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.4f", value);
  }

  /** A JSON string literal of {@code text}, or {@code null}. */
  public static String string(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder json = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }
}
