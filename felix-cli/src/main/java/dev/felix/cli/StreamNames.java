package dev.felix.cli;

import dev.felix.wire.message.StreamRef;

/**
 * {@code STREAM} means tenant {@code default}, namespace {@code default}; or {@code T/N/STREAM}.
 */
final class StreamNames {
  private StreamNames() {}

  static StreamRef parse(String name) {
    String[] parts = name.split("/", -1);
    if (parts.length == 1) {
      return StreamRef.of(parts[0]);
    }
    if (parts.length == 3) {
      return new StreamRef(parts[0], parts[1], parts[2]);
    }
    throw new IllegalArgumentException("stream must be NAME or TENANT/NAMESPACE/NAME: " + name);
  }
}
