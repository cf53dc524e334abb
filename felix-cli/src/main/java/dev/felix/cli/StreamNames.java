package dev.felix.cli;

import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.StreamRef;
import java.util.Map;
import picocli.CommandLine;

/**
 * How the CLI names a stream or cache: {@code NAME} (tenant {@code default}, namespace {@code
 * default}) or {@code TENANT/NAMESPACE/NAME}. One parser for every command, so the rule and its
 * error are the same everywhere.
 */
record StreamNames(String tenant, String namespace, String name) {
  static StreamNames of(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length == 1) {
      return new StreamNames("default", "default", parts[0]);
    }
    if (parts.length == 3) {
      return new StreamNames(parts[0], parts[1], parts[2]);
    }
    throw new CommandLine.TypeConversionException(
        "expected NAME or TENANT/NAMESPACE/NAME, got '" + text + "'");
  }

  /** A stream's reference (names validated by the wire rules). */
  static StreamRef parse(String text) {
    StreamNames names = of(text);
    return new StreamRef(names.tenant, names.namespace, names.name);
  }

  /** A cache's reference (names validated by the wire rules). */
  static CacheRef parseCache(String text) {
    StreamNames names = of(text);
    return new CacheRef(names.tenant, names.namespace, names.name);
  }

  /** {@code base/TENANT/NAMESPACE/NAME}: the admin API's path of the resource. */
  String path(String base) {
    return base + "/" + tenant + "/" + namespace + "/" + name;
  }

  /** The admin API's create body fields. */
  void putInto(Map<String, Object> body) {
    body.put("tenant", tenant);
    body.put("namespace", namespace);
    body.put("name", name);
  }
}
