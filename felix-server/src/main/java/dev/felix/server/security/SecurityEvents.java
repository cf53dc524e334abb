package dev.felix.server.security;

import dev.felix.server.audit.AuditEvent;
import dev.felix.server.audit.AuditLog;

/**
 * Where security outcomes go: a metric for every one, an audit entry for every failure and denial.
 * Never blocks ({@link AuditLog#record} drops when its queue is full). Thread-safe.
 */
final class SecurityEvents {
  private final SecurityMetrics metrics;
  private final AuditLog audit;

  SecurityEvents(SecurityMetrics metrics, AuditLog audit) {
    this.metrics = metrics;
    this.audit = audit;
  }

  void authenticated(Principal principal) {
    metrics.authenticated(principal.method());
  }

  /**
   * An authentication that failed.
   *
   * @param method {@code jwt}, {@code certificate} or {@code none} (no credentials at all)
   * @param action {@code hello} (QUIC) or {@code http}
   */
  void authenticationFailed(String method, String action, String detail, String remote) {
    metrics.failed(method);
    audit.record(
        new AuditEvent(
            audit.clock().instant(),
            AuditEvent.AUTHENTICATION,
            null,
            null,
            action,
            null,
            "failed",
            method + ": " + detail,
            remote));
  }

  void denied(Principal principal, Action action, String resource, String remote) {
    metrics.denied(action);
    audit.record(
        new AuditEvent(
            audit.clock().instant(),
            AuditEvent.AUTHORIZATION,
            principal.name(),
            principal.tenant(),
            action.label(),
            resource,
            "denied",
            null,
            remote));
  }

  void policyLoad(FileAccessPolicies.LoadResult result) {
    metrics.policyLoad(result);
  }
}
