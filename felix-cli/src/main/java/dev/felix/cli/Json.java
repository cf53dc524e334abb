package dev.felix.cli;

/** Minimal JSON for the CLI's line output and admin requests (RFC 8259 escapes). */
final class Json {
  private Json() {}

  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** A flat JSON object of strings and numbers, in the map's order. */
  static String object(java.util.Map<String, Object> fields) {
    StringBuilder out = new StringBuilder("{");
    for (var field : fields.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append(quote(field.getKey())).append(':');
      Object value = field.getValue();
      out.append(value instanceof Number ? value.toString() : quote(String.valueOf(value)));
    }
    return out.append('}').toString();
  }
}
