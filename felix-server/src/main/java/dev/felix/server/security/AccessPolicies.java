package dev.felix.server.security;

/**
 * Where the current access policy comes from. The data path reads {@link #current()} on every
 * uncached decision, so it must be a cheap volatile read; changes arrive as whole new snapshots
 * through {@link #replace} (a reloaded policy file, or later the admin API), never as edits.
 *
 * <p>Implementations are thread-safe.
 */
public interface AccessPolicies {

  /** The policy in force now. Never null. */
  PolicySnapshot current();

  /**
   * Puts {@code snapshot} in force. Sessions notice the new identity on their next check and drop
   * their cached decisions.
   */
  void replace(PolicySnapshot snapshot);

  /** A holder that starts with {@code initial} and changes only through {@link #replace}. */
  static AccessPolicies fixed(PolicySnapshot initial) {
    return new InMemoryAccessPolicies(initial);
  }
}
