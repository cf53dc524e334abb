package dev.felix.client.internal;

import dev.felix.client.ConnectionState;
import dev.felix.client.ServerInfo;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.UnavailableException;
import dev.felix.transport.CloseReason;
import dev.felix.transport.TransportClient;
import dev.felix.wire.message.GoAway;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Owns the connection: the first connect, the current {@link Session}, GoAway draining,
 * reconnecting with back-off (to a GoAway's {@code redirectTo} when given), keep-alive pings and
 * the timeout sweep. Observers (publisher, subscriptions) follow each session change in order.
 *
 * <p><b>Threads.</b> Session events arrive on the event loop and are handed to the scheduler
 * thread, where every state change after the first connect happens; {@code lock} guards the state
 * so that application threads can wait for a ready session and close.
 */
final class ConnectionManager implements SessionEvents {
  /** Bound on waiting for the transport to close the connection when the client closes. */
  private static final long CLOSE_WAIT_MILLIS = 1000;

  private final ClientContext context;
  private final TransportClient transport;
  private final Publisher publisher;
  private final List<SessionObserver> observers;
  private final Backoff backoff;
  private final ServerAddress configured;
  private final Consumer<FelixException> onGiveUp;
  private final Object lock = new Object();
  private Session current;
  private ServerAddress target;
  private int attempt;
  private boolean immediateReconnect;
  private boolean closed;
  private volatile ConnectionState state = ConnectionState.RECONNECTING;
  private volatile ServerInfo lastServer;
  private volatile SimpleRequest pendingPing;
  private volatile long lastPingNanos;

  ConnectionManager(
      ClientContext context,
      TransportClient transport,
      Publisher publisher,
      SubscriptionManager subscriptions,
      Consumer<FelixException> onGiveUp) {
    this.context = context;
    this.transport = transport;
    this.publisher = publisher;
    this.observers = List.of(publisher, subscriptions);
    this.backoff =
        new Backoff(context.options().reconnect(), ThreadLocalRandom.current()::nextDouble);
    this.configured = ServerAddress.parse("serverAddress", context.options().serverAddress());
    this.target = configured;
    this.onGiveUp = onGiveUp;
  }

  // ---- first connect (caller's thread) ----

  /** Connects and handshakes; throws the typed failure. */
  ServerInfo connectFirst() {
    Session session = newSession(configured);
    long bound = context.options().connectTimeout().toNanos() + context.requestTimeoutNanos() * 2;
    ServerInfo info;
    try {
      info = Waits.await(session.open(transport), bound, "connect to " + configured);
    } catch (FelixException e) {
      session.close((int) CloseReason.NO_ERROR, "connect failed");
      throw e;
    }
    synchronized (lock) {
      current = session;
      state = ConnectionState.CONNECTED;
      lastServer = info;
      lastPingNanos = System.nanoTime();
    }
    for (SessionObserver observer : observers) {
      observer.onSessionReady(session, false);
    }
    context.callbacks().notify(l -> l.onConnected(info));
    long period = sweepPeriodNanos();
    var unused = context.threads().every(this::tick, period);
    if (session.isClosed()) {
      // Lost before it was installed: its close was ignored, so handle the loss now.
      context.threads().execute(() -> handleLoss(session, session.closeCause()));
    }
    return info;
  }

  private Session newSession(ServerAddress address) {
    return new Session(address, context.options(), context.threads(), context.callbacks(), this);
  }

  /** Timeouts are checked at a twentieth of the request timeout: accurate enough, cheap. */
  private long sweepPeriodNanos() {
    long period = context.requestTimeoutNanos() / 20;
    return Math.max(
        TimeUnit.MILLISECONDS.toNanos(5), Math.min(period, TimeUnit.MILLISECONDS.toNanos(250)));
  }

  // ---- accessors ----

  ConnectionState state() {
    return state;
  }

  ServerInfo lastServer() {
    return lastServer;
  }

  /** Waits until a session takes requests; {@code UNAVAILABLE} when the client closes first. */
  Session awaitReady(long deadlineNanos) {
    synchronized (lock) {
      while (true) {
        if (closed) {
          throw new UnavailableException(ErrorCode.UNAVAILABLE, "the client is closed");
        }
        if (current != null && current.isReady()) {
          return current;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          throw new UnavailableException(
              ErrorCode.TIMEOUT, "no connection to the broker (state " + state + ")");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UnavailableException(
              ErrorCode.UNAVAILABLE, "interrupted while waiting for a connection", e);
        }
      }
    }
  }

  // ---- periodic work (scheduler) ----

  private void tick() {
    long now = System.nanoTime();
    Session session;
    synchronized (lock) {
      session = current;
    }
    if (session != null) {
      session.requests().sweep(now, context.requestTimeoutNanos());
      keepAlive(session, now);
    }
    publisher.sweep(now);
  }

  /**
   * Pings at a third of the server's idle timeout, so an idle connection stays open; a Ping with no
   * Pong within the request timeout means the connection is dead, so it is closed and the client
   * reconnects.
   */
  private void keepAlive(Session session, long now) {
    Limits limits = session.limits();
    if (limits == null || limits.idleTimeoutMs() <= 0 || pendingPing != null) {
      return;
    }
    long interval = TimeUnit.MILLISECONDS.toNanos(limits.idleTimeoutMs()) / 3;
    if (now - lastPingNanos < interval) {
      return;
    }
    lastPingNanos = now;
    SimpleRequest ping = session.ping();
    pendingPing = ping;
    var unused =
        ping.result()
            .whenComplete(
                (pong, error) -> {
                  pendingPing = null;
                  if (error != null
                      && Waits.toFelix(error).code() == ErrorCode.TIMEOUT
                      && !session.isClosed()) {
                    session.close(ErrorCode.TIMEOUT.code(), "no Pong within the request timeout");
                  }
                });
  }

  // ---- SessionEvents (event loop) ----

  @Override
  public void onGoAway(Session session, GoAway goAway) {
    context.threads().execute(() -> handleGoAway(session, goAway));
  }

  @Override
  public void onClosed(Session session, FelixException cause) {
    synchronized (lock) {
      lock.notifyAll();
    }
    context.threads().execute(() -> handleLoss(session, cause));
  }

  @Override
  public void onWritable(Session session) {
    publisher.kick();
  }

  // ---- state changes (scheduler) ----

  /**
   * GoAway: stop new requests, let the answers to those already sent arrive (at most the server's
   * drain time), then close and reconnect at once, to {@code redirectTo} when given.
   */
  private void handleGoAway(Session session, GoAway goAway) {
    synchronized (lock) {
      if (current != session || closed) {
        return;
      }
      state = ConnectionState.DRAINING;
      immediateReconnect = true;
      if (!goAway.redirectTo().isEmpty()) {
        try {
          target = ServerAddress.parse("GoAway redirectTo", goAway.redirectTo());
        } catch (IllegalArgumentException e) {
          FelixException error =
              new dev.felix.error.ProtocolException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
          context.callbacks().notify(l -> l.onError(error));
        }
      }
    }
    for (SessionObserver observer : observers) {
      observer.onSessionDraining(session);
    }
    String reason = "leaving after GoAway " + goAway.reason();
    Runnable leave = () -> session.close((int) CloseReason.NO_ERROR, reason);
    var unused =
        context
            .threads()
            .schedule(leave, TimeUnit.MILLISECONDS.toNanos(Math.max(0, goAway.drainTimeoutMs())));
    session.requests().onEmpty(leave);
  }

  private void handleLoss(Session session, FelixException cause) {
    boolean reconnect;
    boolean immediate;
    synchronized (lock) {
      if (current != session || closed) {
        return;
      }
      current = null;
      reconnect = context.options().reconnect().enabled();
      state = reconnect ? ConnectionState.RECONNECTING : ConnectionState.CLOSED;
      immediate = immediateReconnect;
      immediateReconnect = false;
      attempt = 0;
      lock.notifyAll();
    }
    for (SessionObserver observer : observers) {
      observer.onSessionLost(session, cause);
    }
    context.callbacks().notify(l -> l.onDisconnected(cause, reconnect));
    if (!reconnect) {
      onGiveUp.accept(cause);
      return;
    }
    scheduleAttempt(immediate ? 0 : backoff.delayNanos(1));
  }

  private void scheduleAttempt(long delayNanos) {
    var unused = context.threads().schedule(this::attempt, delayNanos);
  }

  private void attempt() {
    ServerAddress address;
    int number;
    synchronized (lock) {
      if (closed) {
        return;
      }
      number = ++attempt;
      address = target;
    }
    Session session = newSession(address);
    var unused =
        session
            .open(transport)
            .whenComplete(
                (info, error) ->
                    context.threads().execute(() -> attemptDone(session, number, error)));
  }

  private void attemptDone(Session session, int number, Throwable error) {
    if (error != null) {
      FelixException cause = Waits.toFelix(error);
      int max = context.options().reconnect().maxAttempts();
      boolean giveUp = max >= 0 && number >= max;
      synchronized (lock) {
        if (closed) {
          return;
        }
        // A redirect target that fails is not tried again: back to the configured address.
        target = configured;
        if (giveUp) {
          state = ConnectionState.CLOSED;
          lock.notifyAll();
        }
      }
      context.callbacks().notify(l -> l.onReconnectFailed(number, cause));
      if (giveUp) {
        onGiveUp.accept(cause);
      } else {
        scheduleAttempt(backoff.delayNanos(number + 1));
      }
      return;
    }
    ServerInfo info = session.serverInfo();
    synchronized (lock) {
      if (closed) {
        session.close((int) CloseReason.NO_ERROR, "client closed");
        return;
      }
      current = session;
      state = ConnectionState.CONNECTED;
      lastServer = info;
      lastPingNanos = System.nanoTime();
      lock.notifyAll();
    }
    for (SessionObserver observer : observers) {
      observer.onSessionReady(session, true);
    }
    context.callbacks().notify(l -> l.onReconnected(info));
    if (session.isClosed()) {
      handleLoss(session, session.closeCause());
    }
  }

  // ---- close (application thread) ----

  /** No more reconnects; closes the current connection. Idempotent. */
  void close() {
    Session session;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      session = current;
      current = null;
      state = ConnectionState.CLOSED;
      lock.notifyAll();
    }
    if (session != null) {
      session.closeAndWait((int) CloseReason.NO_ERROR, "client closed", CLOSE_WAIT_MILLIS);
    }
  }

  /** The session in use, or null. */
  Session current() {
    synchronized (lock) {
      return current;
    }
  }
}
