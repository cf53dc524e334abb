package dev.felix.server.security;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.UnavailableException;
import dev.felix.server.audit.AuditLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's security wiring: authentication of connections, the access policies, per-session
 * authorization, the HTTP authenticator for the admin API, and the audit log. One per server.
 *
 * <p>Authentication runs on two {@code felix-auth} threads, never on an event loop: verifying a
 * token may fetch the issuer's key set over HTTP. Their queue is bounded; a burst of connections
 * beyond it is refused with {@code UNAVAILABLE} rather than queued without bound.
 */
public final class Security implements AutoCloseable {
  /** How often the policy file's modification time is checked. */
  public static final Duration POLICY_POLL_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(Security.class);
  private static final int AUTH_QUEUE = 1024;

  private final SecuritySettings settings;
  private final AuditLog audit;
  private final SecurityEvents events;
  private final AccessPolicies policies;
  private final Authenticator authenticator;
  private final HttpAuthenticator http;
  private final ThreadPoolExecutor authThreads;

  private Security(
      SecuritySettings settings,
      AuditLog audit,
      SecurityEvents events,
      AccessPolicies policies,
      Authenticator authenticator) {
    this.settings = settings;
    this.audit = audit;
    this.events = events;
    this.policies = policies;
    this.authenticator = authenticator;
    this.http = new HttpAuthenticator(authenticator, events);
    this.authThreads =
        new ThreadPoolExecutor(
            2,
            2,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(AUTH_QUEUE),
            runnable -> {
              Thread thread = new Thread(runnable, "felix-auth");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts the audit log, loads the policy and prepares token verification.
   *
   * @throws IllegalArgumentException when the policy file or the JWT keys are unusable
   */
  public static Security start(
      SecuritySettings settings, Path dataDir, PrometheusRegistry registry, Clock clock) {
    AuditLog audit =
        AuditLog.start(
            AuditLog.directory(dataDir),
            settings.auditMaxFileBytes(),
            settings.auditMaxFiles(),
            AuditLog.DEFAULT_QUEUE_CAPACITY,
            clock);
    try {
      SecurityEvents events = new SecurityEvents(new SecurityMetrics(registry, audit), audit);
      AccessPolicies policies =
          settings.policyFile() == null
              ? AccessPolicies.fixed(PolicySnapshot.denyAll())
              : FileAccessPolicies.start(
                  settings.policyFile(), POLICY_POLL_INTERVAL, events::policyLoad);
      JwtVerifier jwt = settings.jwt() == null ? null : JwtVerifier.create(settings.jwt(), clock);
      Security security =
          new Security(settings, audit, events, policies, new Authenticator(jwt, events));
      security.logMode();
      return security;
    } catch (RuntimeException e) {
      audit.close();
      throw e;
    }
  }

  private void logMode() {
    if (!settings.authEnabled()) {
      LOG.warn(
          "AUTHENTICATION IS OFF (FELIX_AUTH_ENABLED=false): any client that reaches the QUIC port"
              + " can publish, subscribe and use caches in every tenant. Turn it on outside local"
              + " development (docs/security.md).");
      return;
    }
    LOG.info(
        "authentication on: tokens {}, client certificates {}; policy {}",
        settings.jwt() == null
            ? "not accepted"
            : "from issuer "
                + settings.jwt().issuer()
                + " for audience "
                + settings.jwt().audience(),
        settings.clientCertificates() ? "accepted" : "not requested",
        settings.policyFile() == null
            ? "NONE: every request is denied until a policy is configured"
            : "from " + settings.policyFile());
  }

  /** True when clients must authenticate and every call is authorized. */
  public boolean enabled() {
    return settings.authEnabled();
  }

  /**
   * Authenticates a connection off the calling thread.
   *
   * @param token the Hello token (empty for none)
   * @param chain the client's verified certificate chain (empty for none)
   * @param remote the client's address, for the audit log
   * @return completes on a {@code felix-auth} thread with the connection's access checks, or fails
   *     with {@link dev.felix.error.AuthException} ({@code UNAUTHENTICATED}) or {@link
   *     UnavailableException}
   */
  public CompletableFuture<SessionAccess> authenticate(
      byte[] token, List<X509Certificate> chain, String remote) {
    if (!settings.authEnabled()) {
      return CompletableFuture.completedFuture(SessionAccess.unrestricted());
    }
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            Principal principal = authenticator.authenticate(token, chain, remote);
            return new SessionAccess(principal, policies, events, remote);
          },
          authThreads);
    } catch (RejectedExecutionException e) {
      FelixException busy =
          new UnavailableException(
              ErrorCode.UNAVAILABLE, "too many connections authenticating; retry later");
      return CompletableFuture.failedFuture(busy);
    }
  }

  /** The access policies; the admin API replaces them here. */
  public AccessPolicies policies() {
    return policies;
  }

  /**
   * The policy file, or null when the admin API manages the policies (in the metadata store). With
   * a file, the file is the one source: the admin API refuses policy writes.
   */
  public Path policyFile() {
    return settings.policyFile();
  }

  /**
   * True when {@code principal} is one of {@code FELIX_AUTH_BOOTSTRAP_ADMINS} and {@code tenant} is
   * its own: it then holds {@code admin} on the whole tenant in the admin API.
   */
  public boolean isBootstrapAdmin(Principal principal, String tenant) {
    return principal.tenant().equals(tenant)
        && settings.bootstrapAdmins().contains(principal.name() + "@" + tenant);
  }

  /** Bearer-token authentication for the admin API. */
  public HttpAuthenticator http() {
    return http;
  }

  /** The audit log. */
  public AuditLog audit() {
    return audit;
  }

  /** Stops the policy poller and the auth threads, then writes and closes the audit log. */
  @Override
  public void close() {
    if (policies instanceof FileAccessPolicies file) {
      file.close();
    }
    authThreads.shutdownNow();
    audit.close();
  }
}
