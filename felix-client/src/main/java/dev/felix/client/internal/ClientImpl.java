package dev.felix.client.internal;

import dev.felix.client.ConnectionState;
import dev.felix.client.ConsumerOptions;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.client.OutgoingMessage;
import dev.felix.client.PublishReceipt;
import dev.felix.client.QueueConsumer;
import dev.felix.client.RecordListener;
import dev.felix.client.ServerInfo;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.UnavailableException;
import dev.felix.transport.ClientTlsConfig;
import dev.felix.transport.TransportClient;
import dev.felix.wire.MessageType;
import dev.felix.wire.Names;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.StreamRef;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FelixClient} behind {@code Felix.connect}: wires the publisher, the subscriptions and
 * the connection manager together, and runs the synchronous API and the close sequence.
 */
public final class ClientImpl implements FelixClient {
  private static final Logger LOG = LoggerFactory.getLogger(ClientImpl.class);

  private final FelixOptions options;
  private final ClientContext context;
  private final Publisher publisher;
  private final SubscriptionManager subscriptions;
  private final TransportClient transport;
  private final ConnectionManager connection;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  /**
   * Cache calls waiting for an answer, per client: past it an asynchronous caller gets {@code
   * BACKPRESSURE} at once instead of growing the request table and the send queue without bound.
   */
  static final int MAX_CACHE_CALLS_IN_FLIGHT = 65_536;

  private final Semaphore cacheCallsInFlight = new Semaphore(MAX_CACHE_CALLS_IN_FLIGHT);
  private final CacheCaller cacheCaller =
      new CacheCaller() {
        @Override
        public CompletableFuture<Message> call(
            Message request, MessageType answer, String description) {
          return cacheCall(request, answer, description);
        }

        @Override
        public <T> T await(CompletableFuture<T> result, String description) {
          return awaitCacheCall(result, description);
        }

        @Override
        public dev.felix.client.CacheWatchHandle watch(
            dev.felix.wire.message.CacheWatch request,
            dev.felix.client.CacheWatchListener listener) {
          Session session = connection.current();
          if (closing.get() || session == null || !session.isReady()) {
            throw new UnavailableException(
                ErrorCode.UNAVAILABLE, "cache watch: the client is not connected");
          }
          return session.watch(request, listener);
        }
      };

  private ClientImpl(FelixOptions options) {
    this.options = options;
    ClientThreads threads = new ClientThreads();
    this.context =
        new ClientContext(
            options, threads, new Callbacks(options.listener(), threads.callbackExecutor()));
    this.publisher = new Publisher(context);
    this.subscriptions = new SubscriptionManager(context);
    TransportClient created;
    try {
      created = TransportClient.create(options.transport(), tls(options));
    } catch (RuntimeException e) {
      threads.shutdown(1000);
      throw e;
    }
    this.transport = created;
    this.connection =
        new ConnectionManager(context, transport, publisher, subscriptions, this::giveUp);
  }

  /**
   * Creates a client and connects it; see {@code Felix.connect}.
   *
   * @param options validated options
   * @return the connected client
   */
  public static FelixClient connect(FelixOptions options) {
    Objects.requireNonNull(options, "options");
    if (options.insecure()) {
      LOG.warn(
          "Felix client: TLS certificate verification is DISABLED (insecure) for {}: anyone on"
              + " the network path can impersonate the broker. Use it for tests only.",
          options.serverAddress());
    }
    ClientImpl client = new ClientImpl(options);
    try {
      client.connection.connectFirst();
    } catch (RuntimeException e) {
      client.shutdown(null, false);
      throw e;
    }
    return client;
  }

  private static ClientTlsConfig tls(FelixOptions options) {
    ClientTlsConfig trust = trust(options);
    Path certificate = options.clientCertificate().orElse(null);
    return certificate == null
        ? trust
        : trust.withClientCertificate(certificate, options.clientKey().orElseThrow());
  }

  private static ClientTlsConfig trust(FelixOptions options) {
    if (options.insecure()) {
      return ClientTlsConfig.insecureSkipVerification();
    }
    Path ca = options.caFile().orElse(null);
    if (ca == null) {
      return ClientTlsConfig.systemTrust();
    }
    return options.trustSystemStore()
        ? ClientTlsConfig.systemTrustAnd(ca)
        : ClientTlsConfig.caFile(ca);
  }

  // ---- publishing ----

  @Override
  public PublishReceipt publish(String stream, byte[] payload) {
    return publish(StreamRef.of(stream), payload);
  }

  @Override
  public PublishReceipt publish(StreamRef stream, byte[] payload) {
    return publish(OutgoingMessage.builder(stream).payload(payload).build());
  }

  @Override
  public PublishReceipt publish(OutgoingMessage message) {
    CompletableFuture<PublishReceipt> result = publisher.publish(message, true);
    // The publisher fails the future at its deadlines; the extra bound only guards against a bug.
    long bound = options.requestTimeout().toNanos() * 3 + TimeUnit.SECONDS.toNanos(1);
    return Waits.await(result, bound, "publish to " + message.stream());
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(String stream, byte[] payload) {
    return publishAsync(StreamRef.of(stream), payload);
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(StreamRef stream, byte[] payload) {
    return publishAsync(OutgoingMessage.builder(stream).payload(payload).build());
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(OutgoingMessage message) {
    return publisher.publish(message, false);
  }

  // ---- subscribing ----

  @Override
  public Subscription subscribe(String stream, SubscribeOptions options) {
    return subscribe(StreamRef.of(stream), options, null);
  }

  @Override
  public Subscription subscribe(StreamRef stream, SubscribeOptions options) {
    return subscribe(stream, options, null);
  }

  @Override
  public Subscription subscribe(String stream, SubscribeOptions options, RecordListener listener) {
    return subscribe(StreamRef.of(stream), options, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Subscription subscribe(
      StreamRef stream, SubscribeOptions subscribeOptions, RecordListener listener) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(subscribeOptions, "options");
    if (closing.get()) {
      throw new UnavailableException(ErrorCode.UNAVAILABLE, "the client is closed");
    }
    Session session = connection.awaitReady(System.nanoTime() + options.requestTimeout().toNanos());
    return subscriptions.subscribe(session, stream, subscribeOptions, listener);
  }

  @Override
  public QueueConsumer consumer(String stream, String group) {
    return consumer(StreamRef.of(stream), group, ConsumerOptions.defaults(), null);
  }

  @Override
  public QueueConsumer consumer(StreamRef stream, String group, ConsumerOptions consumerOptions) {
    return consumer(stream, group, consumerOptions, null);
  }

  @Override
  public QueueConsumer consumer(
      StreamRef stream, String group, ConsumerOptions consumerOptions, RecordListener handler) {
    Objects.requireNonNull(stream, "stream");
    Names.require("group", group);
    Objects.requireNonNull(consumerOptions, "options");
    if (closing.get()) {
      throw new UnavailableException(ErrorCode.UNAVAILABLE, "the client is closed");
    }
    Session session = connection.awaitReady(System.nanoTime() + options.requestTimeout().toNanos());
    return subscriptions.join(session, stream, group, consumerOptions, handler);
  }

  // ---- caches ----

  @Override
  public FelixCache cache(String name) {
    return cache(CacheRef.of(name));
  }

  @Override
  public FelixCache cache(CacheRef cache) {
    return new CacheHandle(cache, cacheCaller);
  }

  /**
   * Sends a cache call on the current connection. When it is not ready (connecting, reconnecting),
   * a callback thread waits for it within the request timeout, so the caller's thread never blocks
   * in an {@code Async} method.
   */
  private CompletableFuture<Message> cacheCall(
      Message request, MessageType answer, String description) {
    if (closing.get()) {
      return CompletableFuture.failedFuture(
          new UnavailableException(ErrorCode.UNAVAILABLE, "the client is closed"));
    }
    if (!cacheCallsInFlight.tryAcquire()) {
      return CompletableFuture.failedFuture(
          new LimitException(
              ErrorCode.BACKPRESSURE,
              description
                  + ": "
                  + MAX_CACHE_CALLS_IN_FLIGHT
                  + " cache calls are already waiting for answers; wait for some first"));
    }
    CompletableFuture<Message> result;
    Session session = connection.current();
    if (session != null && session.isReady()) {
      result = session.call(request, answer, description);
    } else {
      long deadline = System.nanoTime() + options.requestTimeout().toNanos();
      result =
          CompletableFuture.supplyAsync(
                  () -> connection.awaitReady(deadline), context.threads().callbackExecutor())
              .thenCompose(ready -> ready.call(request, answer, description));
    }
    var unused = result.whenComplete((ok, failure) -> cacheCallsInFlight.release());
    return result;
  }

  private <T> T awaitCacheCall(CompletableFuture<T> result, String description) {
    // Calls fail at their own deadline; the extra bound only guards against a lost answer.
    long bound = options.requestTimeout().toNanos() * 2 + TimeUnit.SECONDS.toNanos(1);
    return Waits.await(result, bound, description);
  }

  // ---- state ----

  @Override
  public ServerInfo serverInfo() {
    return connection.lastServer();
  }

  @Override
  public ConnectionState state() {
    return connection.state();
  }

  // ---- closing ----

  @Override
  public void close() {
    shutdown(null, true);
  }

  /** Reconnecting is disabled or gave up (scheduler thread): close without draining. */
  private void giveUp(FelixException cause) {
    shutdown(cause, false);
  }

  /**
   * The close sequence: refuse new work; when graceful, let queued and in-flight publishes finish
   * (bounded by the request timeout) and unsubscribe; close the connection; fail what is left; stop
   * every thread. Runs once; a second caller waits for the first (unless it is one of the client's
   * own threads, which must not wait for themselves).
   */
  private void shutdown(FelixException cause, boolean graceful) {
    if (!closing.compareAndSet(false, true)) {
      if (!context.threads().isOwnThread()) {
        try {
          closed.get(options.requestTimeout().toMillis() * 2 + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          LOG.debug("waiting for a concurrent close failed", e);
        }
      }
      return;
    }
    boolean wasConnected = connection.lastServer() != null;
    try {
      publisher.stopAccepting();
      if (graceful) {
        long deadline = System.nanoTime() + options.requestTimeout().toNanos();
        publisher.awaitIdle(deadline);
        subscriptions.closeAll(deadline);
      }
      connection.close();
      FelixException left =
          cause != null
              ? cause
              : new UnavailableException(ErrorCode.UNAVAILABLE, "the client is closed");
      publisher.failQueued(left);
      subscriptions.failAll(left);
      if (wasConnected) {
        context.callbacks().notify(l -> l.onClosed(cause));
      }
    } finally {
      context.threads().shutdown(2000);
      transport.close();
      closed.complete(null);
    }
  }
}
