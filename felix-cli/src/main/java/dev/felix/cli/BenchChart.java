package dev.felix.cli;

import java.util.List;
import java.util.Locale;

/**
 * Bar charts of two result sets as plain SVG inside one HTML page: no script, no library, opens in
 * any browser (or renders to PNG with a headless browser).
 */
final class BenchChart {
  private static final int ROW = 28;
  private static final int LABEL_WIDTH = 140;
  private static final int BAR_WIDTH = 420;

  private BenchChart() {}

  /** One chart: per metric, a bar for A and one for B, scaled to the larger of the two. */
  static String svg(String title, List<String> labels, List<double[]> values) {
    int height = 40 + labels.size() * ROW * 2;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<h2>%s</h2>%n<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d'"
                + " font-family='sans-serif' font-size='12'>%n",
            escape(title),
            LABEL_WIDTH + BAR_WIDTH + 140,
            height));
    int y = 20;
    for (int i = 0; i < labels.size(); i++) {
      double a = values.get(i)[0];
      double b = values.get(i)[1];
      double max = Math.max(Math.max(a, b), 1e-9);
      svg.append(
          String.format(
              Locale.ROOT, "<text x='0' y='%d'>%s</text>%n", y + 18, escape(labels.get(i))));
      bar(svg, y, a / max, a, "#888888", "A");
      bar(svg, y + ROW - 4, b / max, b, "#2a7ae2", "B");
      y += ROW * 2;
    }
    return svg.append("</svg>\n").toString();
  }

  static String page(String title, String body) {
    return "<!doctype html>\n<html><head><meta charset='utf-8'><title>"
        + escape(title)
        + "</title></head><body>\n<h1>"
        + escape(title)
        + "</h1>\n<p>Grey: A (baseline). Blue: B.</p>\n"
        + body
        + "</body></html>\n";
  }

  private static void bar(
      StringBuilder svg, int y, double share, double value, String colour, String name) {
    int width = (int) Math.round(share * BAR_WIDTH);
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x='%d' y='%d' width='%d' height='%d' fill='%s'/>"
                + "<text x='%d' y='%d'>%s %,.1f</text>%n",
            LABEL_WIDTH,
            y,
            width,
            ROW - 8,
            colour,
            LABEL_WIDTH + width + 6,
            y + ROW - 12,
            name,
            value));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
