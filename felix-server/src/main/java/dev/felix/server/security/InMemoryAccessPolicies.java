package dev.felix.server.security;

import java.util.Objects;

/** {@link AccessPolicies} held in memory: a volatile reference, no source of its own. */
final class InMemoryAccessPolicies implements AccessPolicies {
  private volatile PolicySnapshot current;

  InMemoryAccessPolicies(PolicySnapshot initial) {
    this.current = Objects.requireNonNull(initial, "initial");
  }

  @Override
  public PolicySnapshot current() {
    return current;
  }

  @Override
  public void replace(PolicySnapshot snapshot) {
    current = Objects.requireNonNull(snapshot, "snapshot");
  }
}
