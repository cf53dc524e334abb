package dev.felix.server.security;

import java.util.regex.Pattern;

/**
 * A glob over the resources of one tenant, written {@code namespace/name} ({@code name} is a stream
 * or cache). In each part {@code *} matches any run of name characters, so {@code orders/*} is
 * every stream of namespace {@code orders}, and a name part {@code audit-*} matches every name
 * starting with {@code audit-}. A lone {@code *} matches every resource of the tenant.
 *
 * <p>Names cannot contain {@code /} (wire Names rules), so a part never matches across the
 * separator. The tenant is deliberately not part of the pattern: a policy is per tenant and can
 * never reach another tenant's resources.
 */
public final class ResourcePattern {
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9._*-]{1,128}");

  private final String text;
  private final Pattern namespace;
  private final Pattern name;

  private ResourcePattern(String text, Pattern namespace, Pattern name) {
    this.text = text;
    this.namespace = namespace;
    this.name = name;
  }

  /**
   * Parses {@code namespace/name} or {@code *}.
   *
   * @throws IllegalArgumentException when the pattern has not exactly two valid parts
   */
  public static ResourcePattern parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    String full = trimmed.equals("*") ? "*/*" : trimmed;
    String[] parts = full.split("/", -1);
    if (parts.length != 2
        || !PART.matcher(parts[0]).matches()
        || !PART.matcher(parts[1]).matches()) {
      throw new IllegalArgumentException(
          "resource pattern must be namespace/name with [A-Za-z0-9._-] and * globs: '"
              + text
              + "'");
    }
    return new ResourcePattern(full, glob(parts[0]), glob(parts[1]));
  }

  /** True when {@code namespace/name} matches. */
  public boolean matches(String resourceNamespace, String resourceName) {
    return namespace.matcher(resourceNamespace).matches() && name.matcher(resourceName).matches();
  }

  private static Pattern glob(String part) {
    String[] literals = part.split("\\*", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < literals.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      if (!literals[i].isEmpty()) {
        regex.append(Pattern.quote(literals[i]));
      }
    }
    return Pattern.compile(regex.toString());
  }

  @Override
  public String toString() {
    return text;
  }
}
