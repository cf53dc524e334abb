package dev.felix.server.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit log entry: who did (or tried) what to which resource, and how it ended. Written as one
 * JSON object per line ({@link #toJson()}); fields that are null are left out. The format is
 * documented in {@code docs/security.md} and read back by {@code felix admin audit}.
 *
 * @param time when it happened
 * @param type {@link #ADMIN}, {@link #AUTHENTICATION} or {@link #AUTHORIZATION}
 * @param principal the principal's name, or null when it is unknown (failed authentication)
 * @param tenant the principal's tenant, or null
 * @param action e.g. {@code stream.publish}, {@code hello}, or an admin operation
 * @param resource {@code tenant/namespace/name} or another resource description, or null
 * @param result e.g. {@code denied}, {@code failed}, {@code ok}
 * @param detail a short human reason, or null
 * @param remote the client's address, or null
 */
public record AuditEvent(
    Instant time,
    String type,
    String principal,
    String tenant,
    String action,
    String resource,
    String result,
    String detail,
    String remote) {
  /** An administrative change (admin API). */
  public static final String ADMIN = "admin";

  /** A failed (or, for admin calls, any) authentication. */
  public static final String AUTHENTICATION = "authentication";

  /** An authorization decision, recorded when it denied. */
  public static final String AUTHORIZATION = "authorization";

  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(result, "result");
  }

  /** The JSON line (without the newline). {@code time} comes first; readers rely on it. */
  public String toJson() {
    StringBuilder json = new StringBuilder(256).append('{');
    field(json, "time", time.toString());
    field(json, "type", type);
    field(json, "principal", principal);
    field(json, "tenant", tenant);
    field(json, "action", action);
    field(json, "resource", resource);
    field(json, "result", result);
    field(json, "detail", detail);
    field(json, "remote", remote);
    return json.append('}').toString();
  }

  private static void field(StringBuilder json, String name, String value) {
    if (value == null) {
      return;
    }
    if (json.length() > 1) {
      json.append(',');
    }
    json.append('"').append(name).append("\":");
    quote(json, value);
  }

  private static void quote(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
