package dev.felix.server.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parsing and range checks shared by the configuration areas; every error names the setting. */
final class ValueParsers {
  private static final Set<String> LEVELS =
      Set.of("trace", "debug", "info", "warn", "error", "off");

  private ValueParsers() {}

  static InetSocketAddress address(Setting setting, String value) {
    int colon = value == null ? -1 : value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw ConfigurationException.invalid(setting, value, "must be host:port");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = (int) longInRange(setting, value.substring(colon + 1), 0, 65535);
    return new InetSocketAddress(host, port);
  }

  static long longInRange(Setting setting, String value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value == null ? "" : value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw ConfigurationException.invalid(setting, value, "must be an integer");
    }
    if (parsed < min || parsed > max) {
      throw ConfigurationException.invalid(
          setting, value, "must be between " + min + " and " + max + " " + setting.unit());
    }
    return parsed;
  }

  static String oneOf(Setting setting, String value, Set<String> allowed) {
    String normalized = value == null ? "" : value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(normalized)) {
      throw ConfigurationException.invalid(setting, value, "must be one of " + allowed);
    }
    return normalized;
  }

  static String level(Setting setting, String value) {
    return oneOf(setting, value, LEVELS);
  }

  /** {@code logger=level,logger=level}; empty means none. */
  static Map<String, String> levels(Setting setting, String value) {
    Map<String, String> levels = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return levels;
    }
    for (String pair : value.split(",", -1)) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw ConfigurationException.invalid(setting, value, "entries must be logger=level");
      }
      levels.put(
          pair.substring(0, equals).trim(), level(setting, pair.substring(equals + 1).trim()));
    }
    return levels;
  }

  static Path path(Setting setting, String value) {
    if (value == null || value.isBlank()) {
      throw ConfigurationException.invalid(setting, String.valueOf(value), "must be a path");
    }
    try {
      return Path.of(value);
    } catch (RuntimeException e) {
      throw ConfigurationException.invalid(setting, value, "is not a valid path");
    }
  }
}
