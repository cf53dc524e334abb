package dev.felix.server.security;

import java.util.Locale;

/**
 * What a principal may do to a resource. The labels are the names used in policy files, audit
 * entries and the {@code action} label of {@code felix_auth_denials_total}.
 */
public enum Action {
  /** Publish and PublishBatch to a stream. */
  STREAM_PUBLISH("stream.publish"),
  /** Subscribe to a stream (a cursor of one's own). */
  STREAM_SUBSCRIBE("stream.subscribe"),
  /** Join a consumer group on a stream (Subscribe with a group). */
  QUEUE_CONSUME("queue.consume"),
  /** Cache get and multi-get. */
  CACHE_READ("cache.read"),
  /** Cache put, delete, compare-and-set and multi-put. */
  CACHE_WRITE("cache.write"),
  /** Calls of the admin API on the resource (docs/admin-api.md). */
  ADMIN("admin");

  private final String label;

  Action(String label) {
    this.label = label;
  }

  /** The policy-file name, e.g. {@code stream.publish}. */
  public String label() {
    return label;
  }

  /**
   * The action named {@code label} in a policy file.
   *
   * @throws IllegalArgumentException naming the known actions
   */
  public static Action fromLabel(String label) {
    String wanted = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
    for (Action action : values()) {
      if (action.label.equals(wanted)) {
        return action;
      }
    }
    throw new IllegalArgumentException(
        "unknown action '"
            + label
            + "' (known: stream.publish, stream.subscribe, queue.consume, cache.read, cache.write,"
            + " admin)");
  }

  @Override
  public String toString() {
    return label;
  }
}
