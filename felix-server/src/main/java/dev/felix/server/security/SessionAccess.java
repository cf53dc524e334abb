package dev.felix.server.security;

import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.StreamRef;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The authorization checks of one connection, with a cache of its decisions. On the hot path a
 * check is one volatile read (the current policy snapshot), an identity comparison and a hash
 * lookup keyed by the wire's own {@link StreamRef} / {@link CacheRef} records, so nothing is
 * allocated once a resource was decided. A new snapshot (reload, admin change) has a new identity,
 * which empties the cache on the next check.
 *
 * <p>A denial answers {@code PERMISSION_DENIED} naming the action and the resource as the client
 * wrote it; the text is the same whether the resource exists, belongs to another tenant or is
 * simply not granted, so it reveals nothing about other tenants.
 *
 * <p>Threading: guarded by {@code this} (calls come from the connection's event loop, so the lock
 * is uncontended).
 */
public final class SessionAccess {
  /** Bound on cached decisions per connection; a client touching more resources starts over. */
  static final int MAX_CACHED_DECISIONS = 4096;

  private static final SessionAccess UNRESTRICTED = new SessionAccess(null, null, null, null);

  private final Principal principal;
  private final AccessPolicies policies;
  private final SecurityEvents events;
  private final String remote;
  private final Map<Action, Map<Object, Boolean>> decisions = new EnumMap<>(Action.class);
  private PolicySnapshot decidedUnder;
  private int cached;

  SessionAccess(
      Principal principal, AccessPolicies policies, SecurityEvents events, String remote) {
    this.principal = principal;
    this.policies = policies;
    this.events = events;
    this.remote = remote;
    for (Action action : Action.values()) {
      decisions.put(action, new HashMap<>());
    }
  }

  /** Everything allowed: authentication is off. */
  public static SessionAccess unrestricted() {
    return UNRESTRICTED;
  }

  /** The authenticated principal, or null when authentication is off. */
  public Principal principal() {
    return principal;
  }

  /**
   * Checks {@code action} on a stream.
   *
   * @throws AuthException {@code PERMISSION_DENIED} when not granted
   */
  public void check(Action action, StreamRef stream) {
    if (principal != null) {
      decide(action, stream, stream.tenant(), stream.namespace(), stream.stream());
    }
  }

  /**
   * Checks {@code action} on a cache.
   *
   * @throws AuthException {@code PERMISSION_DENIED} when not granted
   */
  public void check(Action action, CacheRef cache) {
    if (principal != null) {
      decide(action, cache, cache.tenant(), cache.namespace(), cache.cache());
    }
  }

  private void decide(Action action, Object key, String tenant, String namespace, String name) {
    boolean allowed;
    synchronized (this) {
      PolicySnapshot current = policies.current();
      if (current != decidedUnder) {
        clear();
        decidedUnder = current;
      }
      Map<Object, Boolean> forAction = decisions.get(action);
      Boolean known = forAction.get(key);
      if (known == null) {
        // The tenant comparison comes first inside allows(): another tenant's resource is never
        // looked up in any policy.
        allowed = current.allows(principal, action, tenant, namespace, name);
        if (cached >= MAX_CACHED_DECISIONS) {
          clear();
        }
        forAction.put(key, allowed);
        cached++;
      } else {
        allowed = known;
      }
    }
    if (!allowed) {
      String resource = tenant + "/" + namespace + "/" + name;
      events.denied(principal, action, resource, remote);
      throw new AuthException(
          ErrorCode.PERMISSION_DENIED, "permission denied: " + action.label() + " on " + resource);
    }
  }

  private void clear() {
    for (Map<Object, Boolean> forAction : decisions.values()) {
      forAction.clear();
    }
    cached = 0;
  }

  /** Cached decisions (for tests). */
  synchronized int cachedDecisions() {
    return cached;
  }
}
