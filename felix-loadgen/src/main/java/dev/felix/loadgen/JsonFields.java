package dev.felix.loadgen;

import java.util.Locale;

/** How result JSON writes a figure that may be unknown. */
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
}
