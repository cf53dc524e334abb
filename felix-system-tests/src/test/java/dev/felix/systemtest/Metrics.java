package dev.felix.systemtest;

import java.util.ArrayList;
import java.util.List;

/**
 * One scrape of {@code /metrics} in the Prometheus text format, with look-ups by sample: a metric
 * name plus, optionally, its labels exactly as exposed ({@code
 * felix_errors_total{code="NOT_FOUND"}}).
 */
record Metrics(String text) {

  /** The value of {@code sample}, or NaN when the scrape does not contain it. */
  double value(String sample) {
    for (String line : text.lines().toList()) {
      if (line.startsWith(sample + " ")) {
        String rest = line.substring(sample.length() + 1).trim();
        int space = rest.indexOf(' ');
        // A sample line may end with a timestamp after the value.
        return Double.parseDouble(space < 0 ? rest : rest.substring(0, space));
      }
    }
    return Double.NaN;
  }

  /** True when some sample line (not a comment) starts with {@code prefix}. */
  boolean hasSampleStartingWith(String prefix) {
    return !samplesStartingWith(prefix).isEmpty();
  }

  /** The sample lines (not comments) that start with {@code prefix}. */
  List<String> samplesStartingWith(String prefix) {
    List<String> lines = new ArrayList<>();
    for (String line : text.lines().toList()) {
      if (!line.startsWith("#") && line.startsWith(prefix)) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** The value of an error counter by error code name; 0 when that code was never counted. */
  double errors(String code) {
    double value = value("felix_errors_total{code=\"" + code + "\"}");
    return Double.isNaN(value) ? 0 : value;
  }

  @Override
  public String toString() {
    return text;
  }
}
