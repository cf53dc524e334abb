package dev.felix.client.internal;

import dev.felix.client.FelixOptions;
import dev.felix.client.ServerInfo;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.ProtocolException;
import dev.felix.error.UnavailableException;
import dev.felix.transport.CloseReason;
import dev.felix.transport.ConnectionListener;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.transport.StreamRole;
import dev.felix.transport.TransportClient;
import dev.felix.transport.TransportConnection;
import dev.felix.wire.Bytes;
import dev.felix.wire.Capabilities;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.MessageType;
import dev.felix.wire.ProtocolVersion;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.Ping;
import dev.felix.wire.message.QueueAck;
import dev.felix.wire.message.QueueNack;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Unsubscribe;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * One QUIC connection in the protocol: the handshake, the outbound proxy of the control stream
 * (calls to frames; its inbound adapter is {@link ControlStreamListener}), and the connection's
 * request table, in-flight window and subscription count. A reconnect makes a new session; nothing
 * in one outlives its connection.
 *
 * <p><b>Threads.</b> Frames and the close arrive on the connection's event loop, where nothing
 * blocks. The send methods are called from any thread: the transport's {@link FrameStream#write} is
 * thread-safe and keeps whole frames together. {@code state} is volatile; everything else is set
 * once before the session is READY or is itself thread-safe.
 */
final class Session implements ConnectionListener {
  /**
   * The optional features the client uses (protocol section 10.2): every v1 feature, so that a new
   * capability is declared once, in {@link Capabilities}.
   */
  static final long REQUESTED_CAPABILITIES = Capabilities.SUPPORTED_V1;

  enum State {
    CONNECTING,
    HANDSHAKING,
    READY,
    DRAINING,
    CLOSED
  }

  private final ServerAddress address;
  private final FelixOptions options;
  private final FrameCodec codec;
  private final ClientThreads threads;
  private final Callbacks callbacks;
  private final SessionEvents events;
  private final RequestTable requests = new RequestTable();
  private final NoAckRegistry noAck = new NoAckRegistry();
  private final SubscriptionSlots slots = new SubscriptionSlots();
  private final CompletableFuture<ServerInfo> ready = new CompletableFuture<>();
  private final ControlStreamListener controlListener;
  private volatile State state = State.CONNECTING;
  private volatile TransportConnection connection;
  private volatile FrameStream control;
  private volatile RequestStreamPool requestStreams;
  private volatile Limits limits;
  private volatile InflightWindow window;
  private volatile ServerInfo serverInfo;
  private volatile FelixException closeCause;

  Session(
      ServerAddress address,
      FelixOptions options,
      ClientThreads threads,
      Callbacks callbacks,
      SessionEvents events) {
    this.address = address;
    this.options = options;
    this.codec = new FrameCodec(options.transport().wireLimits());
    this.threads = threads;
    this.callbacks = callbacks;
    this.events = events;
    this.controlListener = new ControlStreamListener(this);
  }

  // ---- life cycle ----

  /**
   * Connects and sends Hello; completes (on the event loop) with the server's announcement once
   * HelloOk arrived, or fails with the typed reason (TLS, the server's Error, timeout).
   */
  CompletableFuture<ServerInfo> open(TransportClient transport) {
    long bound = options.connectTimeout().toNanos() + options.requestTimeout().toNanos();
    ScheduledFuture<?> timeout =
        threads.schedule(
            () ->
                onHandshakeFailed(
                    new UnavailableException(
                        ErrorCode.TIMEOUT,
                        "handshake with "
                            + address
                            + " did not complete within "
                            + TimeUnit.NANOSECONDS.toMillis(bound)
                            + " ms")),
            bound);
    if (timeout != null) {
      // Done with the handshake either way: the timer must not keep the session alive.
      var unused = ready.whenComplete((info, error) -> timeout.cancel(false));
    }
    var ignored =
        transport
            .connect(address.host(), address.port(), this)
            .whenComplete(
                (connected, error) -> {
                  if (error != null) {
                    ready.completeExceptionally(Waits.toFelix(error));
                    return;
                  }
                  connection = connected;
                  requestStreams = new RequestStreamPool(connected, this, options.cacheStreams());
                  if (ready.isDone()) {
                    connected.close((int) CloseReason.NO_ERROR, "connect abandoned");
                    return;
                  }
                  state = State.HANDSHAKING;
                  Hello hello =
                      new Hello(
                          ProtocolVersion.CURRENT,
                          ProtocolVersion.CURRENT,
                          REQUESTED_CAPABILITIES,
                          options.clientName(),
                          Bytes.wrap(options.authToken()));
                  send(hello, new HelloRequest(this, deadline()), true);
                });
    return ready;
  }

  void onHelloOk(HelloOk ok) {
    if (ok.version() != ProtocolVersion.CURRENT) {
      onHandshakeFailed(
          new ProtocolException(
              ErrorCode.UNSUPPORTED_VERSION,
              "the server chose protocol version " + ok.version() + "; this client speaks 1"));
      return;
    }
    limits = Limits.of(ok, options);
    window = new InflightWindow(limits.maxInflightBytes());
    serverInfo =
        new ServerInfo(
            address.toString(),
            ok.serverId(),
            ok.region(),
            ok.version(),
            ok.capabilities(),
            ok.maxFramePayloadBytes(),
            ok.maxRecordsPerBatch(),
            ok.maxInflightPublishBytes(),
            ok.maxSubscriptions(),
            ok.idleTimeoutMs());
    if (state == State.HANDSHAKING) {
      state = State.READY;
    }
    ready.complete(serverInfo);
  }

  void onHandshakeFailed(FelixException error) {
    if (ready.completeExceptionally(error)) {
      // The server closes after its Error (section 1.4); closing here too spares the wait.
      close((int) CloseReason.NO_ERROR, "handshake failed");
    }
  }

  /** GoAway: no new requests from now on; answers to those already sent still arrive. */
  void startDraining() {
    if (state == State.READY) {
      state = State.DRAINING;
    }
  }

  /** Runs {@code task} on the connection's event loop; false when there is none to run it. */
  boolean executeOnLoop(Runnable task) {
    TransportConnection c = connection;
    return c != null && c.execute(task);
  }

  /** Closes the connection at once with {@code code} (an ErrorCode number or 0). */
  void close(int code, String reason) {
    TransportConnection c = connection;
    if (c != null) {
      c.close(code, reason);
    }
  }

  /**
   * Closes the connection and waits (at most {@code boundMillis}) until the transport has closed
   * it. Used when the client shuts down: stopping the transport's event loop right after asking for
   * the close could drop the CONNECTION_CLOSE packet, and the broker would then hold the connection
   * until its idle timeout.
   */
  void closeAndWait(int code, String reason, long boundMillis) {
    TransportConnection c = connection;
    if (c == null) {
      return;
    }
    c.close(code, reason);
    try {
      c.closeFuture().get(boundMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Bounded on purpose: the client closes anyway.
    }
  }

  // ---- accessors ----

  ServerAddress address() {
    return address;
  }

  State state() {
    return state;
  }

  boolean isReady() {
    return state == State.READY;
  }

  boolean isClosed() {
    return state == State.CLOSED;
  }

  ServerInfo serverInfo() {
    return serverInfo;
  }

  Limits limits() {
    return limits;
  }

  InflightWindow window() {
    return window;
  }

  RequestTable requests() {
    return requests;
  }

  SubscriptionSlots slots() {
    return slots;
  }

  /** True when HelloOk granted idempotent producers. */
  boolean idempotentProducers() {
    ServerInfo info = serverInfo;
    return info != null && Capabilities.has(info.capabilities(), Capabilities.IDEMPOTENT_PRODUCER);
  }

  FrameCodec codec() {
    return codec;
  }

  /**
   * Opens a cache watch on a request stream of its own.
   *
   * @throws ProtocolException {@code UNSUPPORTED_FEATURE} when HelloOk did not grant CACHE_WATCH
   */
  CacheWatchStream watch(
      dev.felix.wire.message.CacheWatch request, dev.felix.client.CacheWatchListener listener) {
    ServerInfo info = serverInfo;
    if (state != State.READY || info == null) {
      throw unavailable("cache watch: the connection is " + state);
    }
    if (!Capabilities.has(info.capabilities(), Capabilities.CACHE_WATCH)) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE, "the server does not offer cache watches");
    }
    CacheWatchStream watch = new CacheWatchStream(request, listener, codec, callbacks);
    var unused =
        connection
            .openRequestStream(watch)
            .whenComplete(
                (stream, error) -> {
                  if (error != null) {
                    watch.openFailed(error);
                  } else {
                    watch.attach(stream);
                  }
                });
    return watch;
  }

  Callbacks callbacks() {
    return callbacks;
  }

  FelixException closeCause() {
    return closeCause;
  }

  SessionEvents events() {
    return events;
  }

  NoAckRegistry noAck() {
    return noAck;
  }

  /** Writes a frame that is not a request (Pong). */
  void writeUnsolicited(int requestId, Message message) {
    FrameStream c = control;
    if (c != null) {
      c.write(FrameCodec.encode(requestId, message));
    }
  }

  /** True while the control stream takes frames without exceeding its send-queue mark. */
  boolean isWritable() {
    FrameStream c = control;
    return c != null && c.isWritable();
  }

  /** A deadline {@code requestTimeout} from now. */
  long deadline() {
    return System.nanoTime() + options.requestTimeout().toNanos();
  }

  // ---- outbound proxy ----

  /**
   * Registers {@code request} and writes {@code message} with its id. When the session cannot take
   * it (not READY; DRAINING only with {@code evenWhileDraining}) or the write is refused, the
   * request fails with {@code UNAVAILABLE} instead and false is returned.
   */
  boolean send(Message message, PendingRequest request, boolean evenWhileDraining) {
    return send(id -> FrameCodec.encode(id, message), request, evenWhileDraining);
  }

  /** As {@link #send(Message, PendingRequest, boolean)}, the frame made by {@code frame(id)}. */
  private boolean send(
      IntFunction<ByteBuffer> frame, PendingRequest request, boolean evenWhileDraining) {
    State s = state;
    boolean open =
        s == State.READY || (evenWhileDraining && (s == State.DRAINING || s == State.HANDSHAKING));
    if (!open) {
      request.onFailure(unavailable(request.describe() + ": the connection is " + s));
      return false;
    }
    int id = requests.register(request);
    try {
      if (control.write(frame.apply(id))) {
        return true;
      }
    } catch (RuntimeException e) {
      if (requests.claim(id) == request) {
        request.onFailure(Waits.toFelix(e));
      }
      return false;
    }
    if (requests.claim(id) == request) {
      request.onFailure(unavailable(request.describe() + ": the control stream is closed"));
    }
    return false;
  }

  /**
   * As {@link #send} for a data-plane request, except that a session that is no longer READY
   * (GoAway arrived, or the connection is closing) leaves the request untouched and returns false,
   * so that the caller can keep what it was about to send for the next connection.
   */
  boolean sendIfReady(IntFunction<ByteBuffer> frame, PendingRequest request) {
    if (state != State.READY) {
      return false;
    }
    send(frame, request, false);
    return true;
  }

  /**
   * Writes an ack-NONE publish: a fresh id remembered with its stream, so that an Error for it can
   * be reported. Returns false when the connection cannot take it.
   */
  boolean sendUnanswered(IntFunction<ByteBuffer> frame, StreamRef stream) {
    if (state != State.READY) {
      return false;
    }
    int id = requests.nextId();
    noAck.remember(id, stream);
    return control.write(frame.apply(id));
  }

  /**
   * Sends a call on one of the connection's request streams (cache calls). The future completes on
   * the event loop with the answer, or fails typed: {@code UNAVAILABLE} when the session does not
   * take requests, {@code MESSAGE_TOO_LARGE} when the frame exceeds the server's limit (checked
   * here, because a frame the server refuses by its header ends the whole stream).
   */
  CompletableFuture<Message> call(Message request, MessageType answer, String description) {
    SimpleRequest call = new SimpleRequest(description, answer, deadline());
    if (state != State.READY) {
      call.onFailure(unavailable(description + ": the connection is " + state));
      return call.result();
    }
    ByteBuffer frame;
    try {
      frame = FrameCodec.encode(0, request);
    } catch (RuntimeException e) {
      call.onFailure(Waits.toFelix(e));
      return call.result();
    }
    int payload = frame.remaining() - FrameHeader.LENGTH;
    if (payload > limits.maxFramePayloadBytes()) {
      call.onFailure(
          new LimitException(
              ErrorCode.MESSAGE_TOO_LARGE,
              description
                  + ": "
                  + payload
                  + " bytes exceed the server's frame limit of "
                  + limits.maxFramePayloadBytes()));
      return call.result();
    }
    var unused =
        requestStreams
            .pick()
            .whenComplete(
                (slot, error) -> {
                  if (error != null) {
                    call.onFailure(Waits.toFelix(error));
                    return;
                  }
                  int id = requests.register(call);
                  frame.putInt(FrameHeader.REQUEST_ID_OFFSET, id);
                  boolean written;
                  try {
                    written = slot.stream().write(frame);
                  } catch (RuntimeException e) {
                    if (requests.claim(id) == call) {
                      call.onFailure(Waits.toFelix(e));
                    }
                    return;
                  }
                  if (!written && requests.claim(id) == call) {
                    slot.markClosed();
                    call.onFailure(unavailable(description + ": the request stream is closed"));
                  }
                });
    return call.result();
  }

  /** Sends Unsubscribe and returns the request (its future completes with Ok or fails). */
  SimpleRequest unsubscribe(int subscriptionId) {
    SimpleRequest request =
        new SimpleRequest("Unsubscribe " + subscriptionId, MessageType.OK, deadline());
    send(new Unsubscribe(subscriptionId), request, true);
    return request;
  }

  /** Sends QueueAck on the control stream; the request's future completes with Ok or fails. */
  SimpleRequest queueAck(int subscriptionId, List<ShardOffset> records) {
    SimpleRequest request =
        new SimpleRequest("QueueAck " + subscriptionId, MessageType.OK, deadline());
    send(new QueueAck(subscriptionId, records), request, true);
    return request;
  }

  /** Sends QueueNack on the control stream. */
  SimpleRequest queueNack(int subscriptionId, int delayMs, List<ShardOffset> records) {
    SimpleRequest request =
        new SimpleRequest("QueueNack " + subscriptionId, MessageType.OK, deadline());
    send(new QueueNack(subscriptionId, delayMs, records), request, true);
    return request;
  }

  /** Keep-alive and liveness: a Ping whose Pong must come within the request timeout. */
  SimpleRequest ping() {
    SimpleRequest request = new SimpleRequest("Ping", MessageType.PONG, deadline());
    send(new Ping(ThreadLocalRandom.current().nextLong()), request, true);
    return request;
  }

  private UnavailableException unavailable(String message) {
    return new UnavailableException(ErrorCode.UNAVAILABLE, message);
  }

  // ---- inbound adapter ----

  @Override
  public StreamListener onStreamOpened(FrameStream stream) {
    if (stream.role() == StreamRole.CONTROL) {
      control = stream;
      return controlListener;
    }
    if (stream.role() == StreamRole.SUBSCRIPTION) {
      return new SubscriptionStreamListener(this);
    }
    // Servers cannot open bidirectional streams in the Felix layout; refuse anything else.
    stream.reset(ErrorCode.UNEXPECTED_MESSAGE.code());
    return (s, frame) -> {};
  }

  @Override
  public void onClosed(TransportConnection closed, CloseReason reason) {
    state = State.CLOSED;
    FelixException cause = lossCause(reason);
    closeCause = cause;
    // The handshake fails with the server's own code (e.g. UNAUTHENTICATED on close), requests
    // in flight with UNAVAILABLE: their outcome is unknown.
    ready.completeExceptionally(handshakeCause(reason, cause));
    requests.failAll(cause);
    events.onClosed(this, cause);
  }

  private FelixException lossCause(CloseReason reason) {
    String text = reason.message().isEmpty() ? "" : ": " + reason.message();
    return new UnavailableException(
        ErrorCode.UNAVAILABLE,
        "connection to "
            + address
            + " closed ("
            + reason.origin()
            + ", code "
            + reason.code()
            + ")"
            + text);
  }

  private static FelixException handshakeCause(CloseReason reason, FelixException loss) {
    ErrorCode code = reason.errorCode();
    return code == null || reason.origin() != CloseReason.Origin.PEER
        ? loss
        : FelixException.of(code, "the server closed the connection: " + reason.message());
  }
}
