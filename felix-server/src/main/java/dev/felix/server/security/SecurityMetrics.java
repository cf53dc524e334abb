package dev.felix.server.security;

import dev.felix.server.audit.AuditLog;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/**
 * Authentication, authorization and audit metrics ({@code felix_auth_*}, {@code felix_audit_*}).
 */
final class SecurityMetrics {
  private final Counter denials;
  private final Counter failures;
  private final Counter authenticated;
  private final Counter policyLoads;

  SecurityMetrics(PrometheusRegistry registry, AuditLog audit) {
    denials =
        Counter.builder()
            .name("felix_auth_denials_total")
            .help("Requests refused with PERMISSION_DENIED, by action")
            .labelNames("action")
            .register(registry);
    failures =
        Counter.builder()
            .name("felix_auth_failures_total")
            .help(
                "Authentications refused with UNAUTHENTICATED, by method (jwt, certificate, none)")
            .labelNames("method")
            .register(registry);
    authenticated =
        Counter.builder()
            .name("felix_auth_authenticated_total")
            .help("Successful authentications, by method")
            .labelNames("method")
            .register(registry);
    policyLoads =
        Counter.builder()
            .name("felix_auth_policy_reloads_total")
            .help("Policy file reloads after a change, by result (loaded, rejected)")
            .labelNames("result")
            .register(registry);
    CounterWithCallback.builder()
        .name("felix_audit_events_written_total")
        .help("Audit events written to the audit log")
        .callback(callback -> callback.call((double) audit.written()))
        .register(registry);
    CounterWithCallback.builder()
        .name("felix_audit_dropped_total")
        .help("Audit events dropped because the writer's queue was full")
        .callback(callback -> callback.call((double) audit.dropped()))
        .register(registry);
    CounterWithCallback.builder()
        .name("felix_audit_write_failures_total")
        .help("Audit events lost to I/O errors")
        .callback(callback -> callback.call((double) audit.writeFailures()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("felix_audit_queue_events")
        .help("Audit events waiting for the writer thread")
        .callback(callback -> callback.call(audit.queued()))
        .register(registry);
  }

  void denied(Action action) {
    denials.labelValues(action.label()).inc();
  }

  void failed(String method) {
    failures.labelValues(method).inc();
  }

  void authenticated(AuthMethod method) {
    authenticated.labelValues(method.name().toLowerCase(Locale.ROOT)).inc();
  }

  void policyLoad(FileAccessPolicies.LoadResult result) {
    policyLoads.labelValues(result.name().toLowerCase(Locale.ROOT)).inc();
  }
}
