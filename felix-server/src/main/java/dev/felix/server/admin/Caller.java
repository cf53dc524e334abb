package dev.felix.server.admin;

import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.server.security.Action;
import dev.felix.server.security.Principal;
import dev.felix.server.security.Security;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Who is calling one admin request, what they may administer, and their audit trail.
 *
 * <p>Rights are the {@code admin} action of the access policy, checked at three levels: a resource
 * ({@code namespace/name}), a whole namespace (the name {@code *}: only patterns that cover every
 * name of the namespace match it) and a whole tenant ({@code * / *}: only a pattern {@code *}
 * matches). Bootstrap admins ({@code FELIX_AUTH_BOOTSTRAP_ADMINS}) hold all three in their tenant.
 * With authentication off everybody holds everything.
 */
final class Caller {
  private static final String ANONYMOUS = "anonymous (authentication off)";
  private static final String ALL = "*";

  private final Principal principal;
  private final Security security;

  /**
   * @param principal the verified principal, or null when authentication is off
   */
  Caller(Principal principal, Security security) {
    this.principal = principal;
    this.security = security;
  }

  /** True when the caller holds {@code admin} on {@code tenant/namespace/name}. */
  boolean mayAdmin(String tenant, String namespace, String name) {
    return principal == null
        || security.isBootstrapAdmin(principal, tenant)
        || security.policies().current().allows(principal, Action.ADMIN, tenant, namespace, name);
  }

  boolean mayAdminNamespace(String tenant, String namespace) {
    return mayAdmin(tenant, namespace, ALL);
  }

  boolean mayAdminTenant(String tenant) {
    return mayAdmin(tenant, ALL, ALL);
  }

  /** Refuses (403, audited) unless the caller holds {@code admin} on the resource. */
  void requireResource(String tenant, String namespace, String name, String operation) {
    check(
        mayAdmin(tenant, namespace, name),
        operation,
        tenant,
        tenant + "/" + namespace + "/" + name);
  }

  /** Refuses unless the caller holds {@code admin} on every name of the namespace. */
  void requireNamespace(String tenant, String namespace, String operation) {
    check(mayAdminNamespace(tenant, namespace), operation, tenant, tenant + "/" + namespace);
  }

  /** Refuses unless the caller holds {@code admin} on {@code *} in the tenant. */
  void requireTenant(String tenant, String operation) {
    check(mayAdminTenant(tenant), operation, tenant, tenant);
  }

  private void check(boolean allowed, String operation, String tenant, String resource) {
    if (!allowed) {
      audit(operation, tenant, resource, "denied", "needs admin");
      // The same answer whether or not the resource exists, as for data-plane denials.
      throw new AuthException(
          ErrorCode.PERMISSION_DENIED, "permission denied: admin on " + resource);
    }
  }

  /**
   * Runs a change and audits its outcome: {@code ok} with {@code detail} of the result, or {@code
   * failed} with the refusal's message (then rethrown).
   */
  <T> T audited(
      String operation,
      String tenant,
      String resource,
      Supplier<T> change,
      Function<T, String> detail) {
    T result;
    try {
      result = change.get();
    } catch (RuntimeException e) {
      audit(operation, tenant, resource, "failed", e.getMessage());
      throw e;
    }
    audit(operation, tenant, resource, "ok", detail.apply(result));
    return result;
  }

  void audit(String operation, String tenant, String resource, String result, String detail) {
    security
        .audit()
        .record(
            principal == null ? ANONYMOUS : principal.name(),
            tenant,
            operation,
            resource,
            result,
            detail);
  }
}
