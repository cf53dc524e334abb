package dev.felix.server.session;

import dev.felix.broker.Broker;
import dev.felix.error.ErrorCode;
import dev.felix.server.security.Security;
import dev.felix.transport.ConnectionAcceptor;
import dev.felix.transport.ConnectionListener;
import dev.felix.transport.TransportConnection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accepts connections as {@link ClientSession}s and keeps the open ones, so that shutdown can send
 * each a GoAway. Refuses new connections once draining. Thread-safe.
 */
public final class SessionRegistry implements ConnectionAcceptor {
  private final Broker broker;
  private final SessionLimits limits;
  private final ServerIdentity identity;
  private final ServerMetrics metrics;
  private final Security security;
  private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;

  public SessionRegistry(
      Broker broker,
      SessionLimits limits,
      ServerIdentity identity,
      ServerMetrics metrics,
      Security security) {
    this.broker = broker;
    this.security = security;
    this.limits = limits;
    this.identity = identity;
    this.metrics = metrics;
  }

  @Override
  public ConnectionListener onConnection(TransportConnection connection) {
    ClientSession session =
        new ClientSession(connection, broker, limits, identity, metrics, this, security);
    if (draining) {
      connection.close(ErrorCode.UNAVAILABLE.code(), "server is shutting down");
      return session;
    }
    metrics.connectionOpened();
    sessions.add(session);
    return session;
  }

  /** Stops accepting and asks every connected client to leave within {@code drain}. */
  public void goAwayAll(Duration drain) {
    draining = true;
    for (ClientSession session : List.copyOf(sessions)) {
      session.goAway(drain);
    }
  }

  public int size() {
    return sessions.size();
  }

  /** True when the session was registered (refused connections never are). */
  boolean remove(ClientSession session) {
    return sessions.remove(session);
  }
}
