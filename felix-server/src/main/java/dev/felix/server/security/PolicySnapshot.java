package dev.felix.server.security;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One immutable version of the access policy: per tenant, roles (each a list of grants: actions on
 * resource patterns) and bindings of principals and groups to roles. Anything not granted is
 * denied, and a principal is only ever judged against its own tenant's policy, so no rule can reach
 * across tenants.
 *
 * <p>Immutable and thread-safe. Sessions cache decisions per snapshot and compare snapshot identity
 * to notice a reload, so a new policy is always a new object ({@link AccessPolicies#replace}).
 */
public final class PolicySnapshot {
  private static final PolicySnapshot EMPTY = new PolicySnapshot(Map.of());

  /** The rules of one tenant. */
  record TenantPolicy(
      Map<String, List<Grant>> roles,
      Map<String, Set<String>> principalRoles,
      Map<String, Set<String>> groupRoles) {
    TenantPolicy {
      roles = Map.copyOf(roles);
      principalRoles = Map.copyOf(principalRoles);
      groupRoles = Map.copyOf(groupRoles);
    }
  }

  /** Some actions on some resources. */
  record Grant(Set<Action> actions, List<ResourcePattern> resources) {
    Grant {
      actions = actions.isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(actions);
      resources = List.copyOf(resources);
    }

    boolean allows(Action action, String namespace, String name) {
      if (!actions.contains(action)) {
        return false;
      }
      for (ResourcePattern pattern : resources) {
        if (pattern.matches(namespace, name)) {
          return true;
        }
      }
      return false;
    }
  }

  private final Map<String, TenantPolicy> tenants;

  PolicySnapshot(Map<String, TenantPolicy> tenants) {
    this.tenants = Map.copyOf(tenants);
  }

  /** The policy that grants nothing: every request is denied. */
  public static PolicySnapshot denyAll() {
    return EMPTY;
  }

  /**
   * Whether {@code principal} may perform {@code action} on {@code tenant/namespace/name}. False
   * whenever the resource's tenant is not the principal's, before any rule is looked at.
   */
  public boolean allows(
      Principal principal, Action action, String tenant, String namespace, String name) {
    if (!principal.tenant().equals(tenant)) {
      return false;
    }
    TenantPolicy policy = tenants.get(tenant);
    if (policy == null) {
      return false;
    }
    if (allowsByRoles(
        policy,
        policy.principalRoles().getOrDefault(principal.name(), Set.of()),
        action,
        namespace,
        name)) {
      return true;
    }
    for (String group : principal.groups()) {
      Set<String> roles = policy.groupRoles().get(group);
      if (roles != null && allowsByRoles(policy, roles, action, namespace, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean allowsByRoles(
      TenantPolicy policy, Set<String> roles, Action action, String namespace, String name) {
    for (String role : roles) {
      for (Grant grant : policy.roles().getOrDefault(role, List.of())) {
        if (grant.allows(action, namespace, name)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The tenants that have a policy (for logs). */
  public Set<String> tenants() {
    return tenants.keySet();
  }

  /** Roles over all tenants (for logs). */
  public int roleCount() {
    return tenants.values().stream().mapToInt(t -> t.roles().size()).sum();
  }

  @Override
  public String toString() {
    return "PolicySnapshot[tenants=" + tenants.keySet() + ", roles=" + roleCount() + "]";
  }
}
