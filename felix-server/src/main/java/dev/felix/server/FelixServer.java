package dev.felix.server;

import dev.felix.broker.Broker;
import dev.felix.server.admin.AdminApi;
import dev.felix.server.config.HeapBudgets;
import dev.felix.server.config.ServerConfig;
import dev.felix.server.http.HttpEndpoints;
import dev.felix.server.http.Readiness;
import dev.felix.server.metadata.EmbeddedMetadataStore;
import dev.felix.server.metadata.MetadataStore;
import dev.felix.server.security.Security;
import dev.felix.server.session.ServerIdentity;
import dev.felix.server.session.ServerMetrics;
import dev.felix.server.session.SessionRegistry;
import dev.felix.transport.ServerTlsConfig;
import dev.felix.transport.TransportServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Felix process: wires the broker, the QUIC transport and the HTTP endpoints together and owns
 * their lifecycle. Start-up order makes {@code /ready} honest: HTTP first (so probes answer
 * "starting"), then the broker, then the QUIC listener, then READY. Shutdown runs backwards: not
 * ready, GoAway to every client, drain within the bound, close.
 *
 * <p>Threading: {@link #start} and {@link #shutdown} are called by one lifecycle thread (main or
 * the shutdown hook); {@link #shutdown} is idempotent.
 */
public final class FelixServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FelixServer.class);

  /**
   * How long the event loops, then the broker's scheduler, have to answer the liveness check
   * (within the probe's 2 s timeout).
   */
  static final Duration LIVENESS_WAIT = Duration.ofSeconds(1);

  private final ServerConfig config;
  private final Readiness readiness;
  private final HttpEndpoints http;
  private final Broker broker;
  private final SessionRegistry sessions;
  private final TransportServer transport;
  private final Security security;
  private final MetadataStore metadata;
  private boolean stopped;

  private FelixServer(
      ServerConfig config,
      Readiness readiness,
      HttpEndpoints http,
      Broker broker,
      SessionRegistry sessions,
      TransportServer transport,
      Security security,
      MetadataStore metadata) {
    this.config = config;
    this.readiness = readiness;
    this.http = http;
    this.broker = broker;
    this.sessions = sessions;
    this.transport = transport;
    this.security = security;
    this.metadata = metadata;
  }

  /**
   * The liveness check: every QUIC event loop runs a no-op task within {@link #LIVENESS_WAIT}, then
   * the broker's scheduler finishes a task within it (its timers drive redelivery, leases and
   * lingering flushes). A loop that is blocked, spinning or whose thread died serves none of its
   * connections while the process looks healthy; failing {@code /live} lets Kubernetes restart the
   * broker (the chart's probe: 3 failures 10 s apart). The scheduler is asked only once the loops
   * answered (in microseconds when healthy), so a probe waits about one bound at most.
   *
   * @param unresponsiveEventLoops {@link TransportServer#unresponsiveEventLoops}
   * @param schedulerResponsive {@link Broker#schedulerResponsive}
   * @return the problem, or null when live
   */
  static String livenessProblem(
      ToIntFunction<Duration> unresponsiveEventLoops, Predicate<Duration> schedulerResponsive) {
    String problem = null;
    int stuck = unresponsiveEventLoops.applyAsInt(LIVENESS_WAIT);
    if (stuck > 0) {
      problem = stuck + " QUIC event loop(s) did not run a task";
    } else if (!schedulerResponsive.test(LIVENESS_WAIT)) {
      problem = "the broker's scheduler finished no task";
    }
    if (problem == null) {
      return null;
    }
    problem += " within " + LIVENESS_WAIT.toMillis() + " ms";
    LOG.warn("liveness check failed: {}", problem);
    return problem;
  }

  /** Starts every part; on failure closes what was started and rethrows. */
  public static FelixServer start(ServerConfig config) throws IOException {
    Files.createDirectories(config.storage().dataDir());
    Readiness readiness = new Readiness();
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    HttpEndpoints http = HttpEndpoints.start(config.network().httpBind(), readiness, registry);
    Broker broker = null;
    Security security = null;
    MetadataStore metadata = null;
    try {
      security =
          Security.start(
              config.security(), config.storage().dataDir(), registry, Clock.systemUTC());
      broker = Broker.start(config.broker());
      metadata =
          EmbeddedMetadataStore.open(EmbeddedMetadataStore.directory(config.storage().dataDir()));
      ServerIdentity identity =
          new ServerIdentity(config.identity().serverId(), config.identity().region());
      AdminApi.install(http, broker, security, metadata, identity);
      ServerMetrics metrics = new ServerMetrics(registry, broker);
      SessionRegistry sessions =
          new SessionRegistry(broker, config.session(), identity, metrics, security);
      TransportServer transport =
          TransportServer.start(
              config.network().quicBind(), config.transport(), tls(config), sessions);
      FelixServer server =
          new FelixServer(config, readiness, http, broker, sessions, transport, security, metadata);
      Broker started = broker;
      http.liveness(
          () -> livenessProblem(transport::unresponsiveEventLoops, started::schedulerResponsive));
      for (String warning :
          HeapBudgets.warnings(
              Runtime.getRuntime().maxMemory(),
              config.broker().streamsMemoryMaxBytes(),
              config.broker().caches().totalMaxBytes())) {
        LOG.warn(warning);
      }
      LOG.info(
          "memory streams may hold {} bytes of records together (FELIX_STREAMS_MEMORY_MAX_BYTES;"
              + " JVM heap {} bytes)",
          config.broker().streamsMemoryMaxBytes(),
          Runtime.getRuntime().maxMemory());
      readiness.advanceTo(Readiness.State.READY);
      LOG.info(
          "Felix ready: QUIC on udp {} (ALPN felix/1), HTTP on tcp {}, region {}, data in {}",
          transport.localAddress(),
          http.address(),
          config.identity().region(),
          config.storage().dataDir().toAbsolutePath());
      return server;
    } catch (RuntimeException e) {
      if (metadata != null) {
        metadata.close();
      }
      if (broker != null) {
        broker.close();
      }
      if (security != null) {
        security.close();
      }
      http.close();
      throw e;
    }
  }

  public InetSocketAddress quicAddress() {
    return transport.localAddress();
  }

  public InetSocketAddress httpAddress() {
    return http.address();
  }

  public Readiness readiness() {
    return readiness;
  }

  /** Authentication, access policies and the audit log (the admin API builds on them). */
  public Security security() {
    return security;
  }

  /**
   * Graceful shutdown: not ready, GoAway to every client, stop taking publishes and deliver every
   * appended record, let connections drain, then close everything; the steps share the configured
   * drain bound.
   */
  public synchronized void shutdown() {
    if (stopped) {
      return;
    }
    stopped = true;
    Duration drain = Duration.ofMillis(config.shutdown().drainTimeoutMs());
    LOG.info(
        "shutting down: draining {} connections within {} ms", sessions.size(), drain.toMillis());
    long start = System.nanoTime();
    readiness.advanceTo(Readiness.State.DRAINING);
    sessions.goAwayAll(drain);
    // Publishes stop before the connections start closing: a publish acknowledged after the last
    // flush would otherwise never reach the subscribers still connected. At most half the bound:
    // a subscriber that stopped reading must not leave the other connections no time to close
    // (their last acks and events are still queued in the transport).
    if (!broker.stopPublishing(drain.dividedBy(2))) {
      LOG.warn(
          "publishes or deliveries still pending after half the drain bound; closing connections");
    }
    Duration left = drain.minusNanos(System.nanoTime() - start);
    Duration closing = left.isNegative() ? Duration.ZERO : left;
    try {
      transport.shutdownGracefully(closing).get(closing.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("connections did not drain in time; closing them", e);
      transport.close();
    }
    broker.close();
    metadata.close();
    security.close();
    http.close();
    readiness.advanceTo(Readiness.State.STOPPED);
    LOG.info("Felix stopped");
  }

  @Override
  public void close() {
    shutdown();
  }

  private static ServerTlsConfig tls(ServerConfig config) {
    ServerConfig.Tls tls = config.tls();
    ServerTlsConfig server =
        tls.isDevelopment()
            ? ServerTlsConfig.development(config.storage().dataDir())
            : ServerTlsConfig.fromPemFiles(tls.certificateChain(), tls.privateKey());
    return server.withClientAuth(tls.clientAuth(), tls.clientCa());
  }
}
