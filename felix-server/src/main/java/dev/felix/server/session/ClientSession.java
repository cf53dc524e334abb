package dev.felix.server.session;

import dev.felix.broker.Broker;
import dev.felix.broker.QueueSubscription;
import dev.felix.broker.Subscription;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.ProtocolException;
import dev.felix.error.UnavailableException;
import dev.felix.server.security.Action;
import dev.felix.server.security.Security;
import dev.felix.server.security.SessionAccess;
import dev.felix.transport.CloseReason;
import dev.felix.transport.ConnectionListener;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.transport.StreamRole;
import dev.felix.transport.TransportConnection;
import dev.felix.wire.Capabilities;
import dev.felix.wire.ProtocolVersion;
import dev.felix.wire.message.Credit;
import dev.felix.wire.message.CursorCommit;
import dev.felix.wire.message.GoAway;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.Ok;
import dev.felix.wire.message.QueueAck;
import dev.felix.wire.message.QueueNack;
import dev.felix.wire.message.Subscribe;
import dev.felix.wire.message.Unsubscribe;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One client connection: the handshake, its publishes and its subscriptions. The conductor of the
 * connection (Aeron's term): {@link ControlStreamAdapter} turns frames into calls here, and this
 * class owns the state and talks to the broker.
 *
 * <p>Threading: state is guarded by {@code this}. Calls come from the connection's event loop
 * (frames, stream events) and from broker threads (subscription ends); none blocks.
 */
final class ClientSession implements ConnectionListener {
  /** What a v1 server of this build grants: every v1 feature (declared once, in Capabilities). */
  static final long SUPPORTED_CAPABILITIES = Capabilities.SUPPORTED_V1;

  /**
   * How long a connection ended by a fatal protocol error may take to deliver its Error frame
   * before it is closed regardless: a few round trips on any sane network, and short enough that a
   * peer that never reads cannot hold the connection.
   */
  static final Duration FATAL_ERROR_CLOSE_BOUND = Duration.ofSeconds(2);

  private final TransportConnection connection;
  private final Broker broker;
  private final SessionLimits limits;
  private final ServerIdentity identity;
  private final ServerMetrics metrics;
  private final Replies replies;
  private final SessionRegistry registry;
  private final Security security;
  private final Map<Integer, Subscription> subscriptions = new HashMap<>();
  private final Map<Integer, SubscriptionStreamSink> sinks = new HashMap<>();
  private FrameStream control;
  private PublishPipeline publishes;
  private final CacheCalls cacheCalls;
  private final SessionWatches watches;
  private final CursorCommits cursorCommits;
  private boolean helloDone;
  private boolean helloPending;
  private SessionAccess access = SessionAccess.unrestricted();
  private long grantedCapabilities;
  private boolean closed;
  private boolean closingAfterError;
  private int nextSubscriptionId = 1;

  ClientSession(
      TransportConnection connection,
      Broker broker,
      SessionLimits limits,
      ServerIdentity identity,
      ServerMetrics metrics,
      SessionRegistry registry,
      Security security) {
    this.connection = connection;
    this.security = security;
    this.broker = broker;
    this.limits = limits;
    this.identity = identity;
    this.metrics = metrics;
    this.replies = new Replies(metrics);
    this.registry = registry;
    this.cacheCalls = new CacheCalls(broker.caches());
    this.watches = new SessionWatches(broker.config().cacheWatches().maxWatchesPerConnection());
    this.cursorCommits = new CursorCommits(broker, replies);
  }

  @Override
  public StreamListener onStreamOpened(FrameStream stream) {
    if (stream.role() == StreamRole.CONTROL) {
      synchronized (this) {
        control = stream;
        publishes =
            new PublishPipeline(
                broker::publish, stream, replies, metrics, limits.maxInflightPublishBytes());
      }
      return new ControlStreamAdapter(this, broker.config().wireLimits(), replies);
    }
    return new RequestStreamAdapter(
        this, cacheCalls, replies, metrics.cache(), broker.config().wireLimits());
  }

  /** The broker's caches. */
  dev.felix.broker.Caches caches() {
    return broker.caches();
  }

  /** This connection's cache watches. */
  SessionWatches watches() {
    return watches;
  }

  @Override
  public void onClosed(TransportConnection connection, CloseReason reason) {
    Map<Integer, Subscription> open;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open = new HashMap<>(subscriptions);
      subscriptions.clear();
      sinks.clear();
      if (publishes != null) {
        publishes.close();
      }
    }
    for (Subscription subscription : open.values()) {
      subscription.close();
      metrics.subscriptionClosed();
    }
    watches.closeAll();
    if (registry.remove(this)) {
      metrics.connectionClosed();
    }
  }

  synchronized boolean helloDone() {
    return helloDone;
  }

  /** The capabilities HelloOk granted (0 before Hello). */
  synchronized long grantedCapabilities() {
    return grantedCapabilities;
  }

  /**
   * Hello: negotiate the version, authenticate, then answer HelloOk, or Error and close. With
   * authentication on, the credentials are checked on a {@code felix-auth} thread (a token may need
   * the issuer's keys fetched) while the control stream is paused, so nothing the client sends
   * meanwhile is acted on before it is known who it is.
   */
  void hello(int requestId, Hello hello) {
    FrameStream stream;
    synchronized (this) {
      if (helloDone || helloPending) {
        throw new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "Hello was already received");
      }
      if (hello.minVersion() > ProtocolVersion.CURRENT
          || hello.maxVersion() < ProtocolVersion.CURRENT) {
        replies.error(
            control,
            requestId,
            new ProtocolException(
                ErrorCode.UNSUPPORTED_VERSION,
                "server speaks version " + ProtocolVersion.CURRENT + " only"));
        closeAfterError();
        return;
      }
      if (!security.enabled()) {
        completeHello(hello, SessionAccess.unrestricted());
        stream = null;
      } else {
        helloPending = true;
        stream = control;
      }
    }
    if (stream == null) {
      sendHelloOk(requestId);
      return;
    }
    stream.pauseReading();
    var unused =
        security
            .authenticate(
                hello.token().toArray(),
                connection.peerCertificates(),
                String.valueOf(connection.remoteAddress()))
            .whenComplete(
                (granted, failure) -> {
                  if (failure != null) {
                    replies.error(stream, requestId, failure);
                    closeAfterError();
                    return;
                  }
                  synchronized (this) {
                    helloPending = false;
                    completeHello(hello, granted);
                  }
                  sendHelloOk(requestId);
                  stream.resumeReading();
                });
  }

  /** Records the outcome of a successful handshake; caller holds the lock. */
  private void completeHello(Hello hello, SessionAccess granted) {
    helloDone = true;
    access = granted;
    grantedCapabilities = Capabilities.negotiate(hello.capabilities(), SUPPORTED_CAPABILITIES);
  }

  private void sendHelloOk(int requestId) {
    replies.send(
        control(),
        requestId,
        new HelloOk(
            ProtocolVersion.CURRENT,
            grantedCapabilities(),
            identity.serverId(),
            identity.region(),
            broker.config().wireLimits().maxFramePayloadBytes(),
            broker.config().wireLimits().maxRecordsPerBatch(),
            limits.maxInflightPublishBytes(),
            limits.maxSubscriptions(),
            limits.idleTimeoutMs()));
  }

  private synchronized FrameStream control() {
    return control;
  }

  /** The authorization checks of this connection (everything allowed with authentication off). */
  synchronized SessionAccess access() {
    return access;
  }

  /** A frame arrived before Hello: answer and close, the peer is not speaking Felix v1. */
  void rejectBeforeHello(int requestId) {
    replies.error(
        control,
        requestId,
        new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "the first frame must be Hello"));
    closeAfterError();
  }

  /**
   * Ends the connection after a fatal protocol error whose Error frame was just written. The peer
   * must be able to read that frame (protocol.md sections 1.4 and 1.6), but {@link
   * TransportConnection#close} drops queued frames and quiche drops unsent stream data, so the
   * connection is closed gracefully within {@link #FATAL_ERROR_CLOSE_BOUND} instead: the Error goes
   * out, then the connection closes. The peer learns the code from the Error frame; the QUIC close
   * itself says NO_ERROR, because the transport has no flush-then-close with an error code. Reading
   * stops at once, so nothing the peer sends meanwhile is acted on.
   */
  void closeAfterError() {
    FrameStream stream;
    synchronized (this) {
      if (closingAfterError) {
        return;
      }
      closingAfterError = true;
      stream = control;
    }
    if (stream != null) {
      stream.pauseReading();
    }
    var unused = connection.closeGracefully(FATAL_ERROR_CLOSE_BOUND);
  }

  /**
   * The control stream closed: without it the connection is useless, so close it, unless a graceful
   * close after a fatal error is already delivering the Error frame.
   */
  void controlStreamClosed() {
    synchronized (this) {
      if (closingAfterError) {
        return;
      }
    }
    connection.close((int) CloseReason.NO_ERROR, "control stream closed");
  }

  PublishPipeline publishes() {
    synchronized (this) {
      return publishes;
    }
  }

  // The stream-open future's failure is handled in its callback (answered with Error).
  @SuppressWarnings("FutureReturnValueIgnored")
  void subscribe(int requestId, Subscribe request) {
    metrics.subscribeRequested();
    if (request.hasGroup() && !Capabilities.has(grantedCapabilities(), Capabilities.QUEUES)) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE, "a group needs the QUEUES capability in Hello");
    }
    if (request.hasCursor()) {
      requireCursors();
    }
    access()
        .check(
            request.hasGroup() ? Action.QUEUE_CONSUME : Action.STREAM_SUBSCRIBE, request.stream());
    int subscriptionId;
    SubscriptionStreamSink sink;
    synchronized (this) {
      // sinks holds every subscription of the connection, opening or open.
      if (sinks.size() >= limits.maxSubscriptions()) {
        throw new LimitException(
            ErrorCode.LIMIT_EXCEEDED,
            "at most " + limits.maxSubscriptions() + " subscriptions per connection");
      }
      subscriptionId = nextSubscriptionId++;
      sink = new SubscriptionStreamSink(subscriptionId, requestId, this, metrics);
      sinks.put(subscriptionId, sink);
    }
    connection
        .openSubscriptionStream(sink)
        .whenComplete(
            (stream, failure) -> {
              if (failure != null) {
                forgetSink(subscriptionId);
                replies.error(control, requestId, failure);
              } else {
                startSubscription(requestId, request, sink, stream);
              }
            });
  }

  private void startSubscription(
      int requestId, Subscribe request, SubscriptionStreamSink sink, FrameStream stream) {
    sink.attach(stream);
    Subscription subscription;
    try {
      subscription =
          request.hasCursor()
              ? broker.subscribe(request, request.cursor(), sink.subscriptionId(), sink)
              : broker.subscribe(request, sink.subscriptionId(), sink);
    } catch (RuntimeException e) {
      forgetSink(sink.subscriptionId());
      stream.finish();
      replies.error(control, requestId, e);
      return;
    }
    synchronized (this) {
      if (closed || !sinks.containsKey(sink.subscriptionId())) {
        subscription.close();
        return;
      }
      subscriptions.put(sink.subscriptionId(), subscription);
    }
    metrics.subscriptionOpened();
    sink.start(subscription);
  }

  void unsubscribe(int requestId, Unsubscribe request) {
    Subscription subscription;
    SubscriptionStreamSink sink;
    synchronized (this) {
      subscription = subscriptions.remove(request.subscriptionId());
      sink = sinks.remove(request.subscriptionId());
    }
    if (subscription == null) {
      throw new NotFoundException(
          ErrorCode.NOT_FOUND, "no open subscription " + request.subscriptionId());
    }
    subscription.close();
    metrics.subscriptionClosed();
    if (sink != null) {
      sink.finish();
    }
    replies.send(control, requestId, Ok.INSTANCE);
  }

  /** CursorCommit: answered Ok once the positions are stored, from the broker's completion. */
  void commitCursor(int requestId, CursorCommit commit) {
    requireCursors();
    FrameStream stream;
    synchronized (this) {
      stream = control;
    }
    cursorCommits.commit(stream, requestId, commit, access());
  }

  private void requireCursors() {
    if (!Capabilities.has(grantedCapabilities(), Capabilities.DURABLE_CURSORS)) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE,
          "named cursors need the DURABLE_CURSORS capability in Hello");
    }
  }

  /** QueueAck: the member's records are done. Answered Ok (stale records are ignored). */
  void queueAck(int requestId, QueueAck ack) {
    member(ack.subscriptionId()).ack(ack.records());
    replies.send(control, requestId, Ok.INSTANCE);
  }

  /** QueueNack: redeliver the records now or after the delay. Answered Ok. */
  void queueNack(int requestId, QueueNack nack) {
    member(nack.subscriptionId()).nack(Integer.toUnsignedLong(nack.delayMs()), nack.records());
    replies.send(control, requestId, Ok.INSTANCE);
  }

  /**
   * Credit: widens a member's lease allowance. Plain subscriptions have no credit-based flow
   * (protocol.md section 15, point 8): {@code UNSUPPORTED_FEATURE}.
   */
  void credit(int requestId, Credit credit) {
    member(credit.subscriptionId()).credit(credit.credits());
    replies.send(control, requestId, Ok.INSTANCE);
  }

  private QueueSubscription member(int subscriptionId) {
    Subscription subscription;
    synchronized (this) {
      subscription = subscriptions.get(subscriptionId);
    }
    if (subscription == null) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no open subscription " + subscriptionId);
    }
    if (!(subscription instanceof QueueSubscription member)) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE,
          "subscription " + subscriptionId + " is not a consumer-group member");
    }
    return member;
  }

  /** The broker or the stream ended a subscription; forget it (idempotent). */
  void subscriptionEnded(int subscriptionId) {
    Subscription subscription;
    synchronized (this) {
      subscription = subscriptions.remove(subscriptionId);
      sinks.remove(subscriptionId);
    }
    if (subscription != null) {
      subscription.close();
      metrics.subscriptionClosed();
    }
  }

  private synchronized void forgetSink(int subscriptionId) {
    sinks.remove(subscriptionId);
  }

  /** Server shutdown: tell the client to leave, then drain the connection within the bound. */
  void goAway(Duration drain) {
    FrameStream stream;
    synchronized (this) {
      stream = control;
    }
    if (stream != null) {
      replies.send(
          stream,
          0,
          new GoAway(GoAway.Reason.SHUTDOWN, (int) drain.toMillis(), "", "server shutting down"));
    }
  }

  TransportConnection connection() {
    return connection;
  }

  void failUnavailable(int requestId, String why) {
    replies.error(control, requestId, new UnavailableException(ErrorCode.UNAVAILABLE, why));
  }
}
