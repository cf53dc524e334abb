package dev.felix.server.security;

import dev.felix.wire.Names;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a policy document (YAML, or JSON, which the YAML parser reads too) into a {@link
 * PolicySnapshot}. The format is in {@code docs/security.md}:
 *
 * <pre>
 * tenants:
 *   acme:
 *     roles:
 *       producer:
 *         - actions: [stream.publish]
 *           resources: ["orders/*"]
 *     bindings:
 *       - role: producer
 *         principals: [orders-service]
 *         groups: [order-writers]
 * </pre>
 *
 * <p>Strict: an unknown key, action or role is an error naming where it is, because a typo in an
 * access policy must not silently grant or deny. Stateless.
 */
public final class PolicyParser {
  private static final Set<String> TOP_KEYS = Set.of("tenants");
  private static final Set<String> TENANT_KEYS = Set.of("roles", "bindings");
  private static final Set<String> GRANT_KEYS = Set.of("actions", "resources");
  private static final Set<String> BINDING_KEYS = Set.of("role", "principals", "groups");

  private PolicyParser() {}

  /**
   * Parses a policy document.
   *
   * @throws IllegalArgumentException with the location and the reason when the document is invalid
   */
  public static PolicySnapshot parse(String document) {
    Object root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(new SafeConstructor(options)).load(document);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not valid YAML or JSON: " + e.getMessage(), e);
    }
    if (root == null) {
      return PolicySnapshot.denyAll();
    }
    Map<?, ?> top = map(root, "the document");
    keys(top, TOP_KEYS, "the document");
    Map<String, PolicySnapshot.TenantPolicy> tenants = new HashMap<>();
    Object tenantsNode = top.get("tenants");
    if (tenantsNode != null) {
      for (Map.Entry<?, ?> entry : map(tenantsNode, "tenants").entrySet()) {
        String tenant = String.valueOf(entry.getKey());
        if (!Names.isValid(tenant)) {
          throw new IllegalArgumentException("tenants." + tenant + ": not a valid tenant name");
        }
        tenants.put(tenant, tenant(entry.getValue(), "tenants." + tenant));
      }
    }
    return new PolicySnapshot(tenants);
  }

  private static PolicySnapshot.TenantPolicy tenant(Object node, String where) {
    Map<?, ?> tenant = node == null ? Map.of() : map(node, where);
    keys(tenant, TENANT_KEYS, where);
    Map<String, List<PolicySnapshot.Grant>> roles = new HashMap<>();
    Object rolesNode = tenant.get("roles");
    if (rolesNode != null) {
      for (Map.Entry<?, ?> role : map(rolesNode, where + ".roles").entrySet()) {
        String roleName = String.valueOf(role.getKey());
        String roleWhere = where + ".roles." + roleName;
        List<PolicySnapshot.Grant> grants = new ArrayList<>();
        List<?> grantNodes = list(role.getValue(), roleWhere);
        for (int i = 0; i < grantNodes.size(); i++) {
          grants.add(grant(grantNodes.get(i), roleWhere + "[" + i + "]"));
        }
        roles.put(roleName, grants);
      }
    }
    Map<String, Set<String>> principalRoles = new HashMap<>();
    Map<String, Set<String>> groupRoles = new HashMap<>();
    Object bindingsNode = tenant.get("bindings");
    if (bindingsNode != null) {
      List<?> bindings = list(bindingsNode, where + ".bindings");
      for (int i = 0; i < bindings.size(); i++) {
        String bindingWhere = where + ".bindings[" + i + "]";
        Map<?, ?> binding = map(bindings.get(i), bindingWhere);
        keys(binding, BINDING_KEYS, bindingWhere);
        Object role = binding.get("role");
        if (role == null || !roles.containsKey(String.valueOf(role))) {
          throw new IllegalArgumentException(
              bindingWhere + ".role: '" + role + "' is not a role of this tenant");
        }
        for (String principal : strings(binding.get("principals"), bindingWhere + ".principals")) {
          principalRoles.computeIfAbsent(principal, k -> new HashSet<>()).add(role.toString());
        }
        for (String group : strings(binding.get("groups"), bindingWhere + ".groups")) {
          groupRoles.computeIfAbsent(group, k -> new HashSet<>()).add(role.toString());
        }
      }
    }
    return new PolicySnapshot.TenantPolicy(roles, freeze(principalRoles), freeze(groupRoles));
  }

  private static PolicySnapshot.Grant grant(Object node, String where) {
    Map<?, ?> grant = map(node, where);
    keys(grant, GRANT_KEYS, where);
    Set<Action> actions = EnumSet.noneOf(Action.class);
    for (String label : strings(grant.get("actions"), where + ".actions")) {
      try {
        actions.add(Action.fromLabel(label));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".actions: " + e.getMessage(), e);
      }
    }
    List<ResourcePattern> resources = new ArrayList<>();
    for (String pattern : strings(grant.get("resources"), where + ".resources")) {
      try {
        resources.add(ResourcePattern.parse(pattern));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".resources: " + e.getMessage(), e);
      }
    }
    if (actions.isEmpty() || resources.isEmpty()) {
      throw new IllegalArgumentException(where + ": a grant needs actions and resources");
    }
    return new PolicySnapshot.Grant(actions, resources);
  }

  private static Map<String, Set<String>> freeze(Map<String, Set<String>> map) {
    Map<String, Set<String>> frozen = new HashMap<>();
    map.forEach((key, value) -> frozen.put(key, Set.copyOf(value)));
    return frozen;
  }

  private static Map<?, ?> map(Object node, String where) {
    if (node instanceof Map<?, ?> map) {
      return map;
    }
    throw new IllegalArgumentException(where + ": expected a mapping");
  }

  private static List<?> list(Object node, String where) {
    if (node instanceof List<?> list) {
      return list;
    }
    throw new IllegalArgumentException(where + ": expected a list");
  }

  private static List<String> strings(Object node, String where) {
    if (node == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (Object value : list(node, where)) {
      if (value == null || value instanceof Map || value instanceof List) {
        throw new IllegalArgumentException(where + ": expected a list of strings");
      }
      values.add(value.toString());
    }
    return values;
  }

  private static void keys(Map<?, ?> map, Set<String> allowed, String where) {
    for (Object key : map.keySet()) {
      if (!allowed.contains(String.valueOf(key))) {
        throw new IllegalArgumentException(
            where + ": unknown key '" + key + "' (allowed: " + allowed + ")");
      }
    }
  }
}
