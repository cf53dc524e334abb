package dev.felix.client;

import dev.felix.client.internal.ServerAddress;
import dev.felix.transport.TransportConfig;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.Hello;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable client options, validated once by {@link Builder#build()} with messages that name the
 * setting. Areas with several knobs have their own value types: {@link ReconnectPolicy} and {@link
 * BatchingPolicy}; the QUIC settings are felix-transport's {@link TransportConfig}.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code serverAddress}</td><td>{@code 127.0.0.1:5000}</td></tr>
 *   <tr><td>{@code caFile}</td><td>none: the system trust store only</td></tr>
 *   <tr><td>{@code trustSystemStore}</td><td>true</td></tr>
 *   <tr><td>{@code insecure}</td><td>false</td></tr>
 *   <tr><td>{@code clientName}</td><td>{@code felix-java}</td></tr>
 *   <tr><td>{@code authToken}</td><td>none</td></tr>
 *   <tr><td>{@code clientCertificate}, {@code clientKey}</td><td>none: no certificate (mTLS off)</td></tr>
 *   <tr><td>{@code requestTimeout}</td><td>10 s</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>10 s</td></tr>
 *   <tr><td>{@code reconnect}</td><td>{@link ReconnectPolicy#DEFAULT}</td></tr>
 *   <tr><td>{@code batching}</td><td>{@link BatchingPolicy#DEFAULT}</td></tr>
 *   <tr><td>{@code receiveBufferRecords}</td><td>10,000</td></tr>
 *   <tr><td>{@code listenerThreads}</td><td>0: a thread per listener subscription</td></tr>
 *   <tr><td>{@code receiveBufferBytes}</td><td>8 MiB</td></tr>
 *   <tr><td>{@code cacheStreams}</td><td>1</td></tr>
 *   <tr><td>{@code idempotence}</td><td>true</td></tr>
 *   <tr><td>{@code listener}</td><td>a listener that ignores everything</td></tr>
 *   <tr><td>{@code transport}</td><td>{@link TransportConfig#defaults()} with one event loop</td></tr>
 * </table>
 */
public final class FelixOptions {
  /** Default broker address. */
  public static final String DEFAULT_SERVER_ADDRESS = "127.0.0.1:5000";

  /** Default name sent in Hello (for the broker's logs and metrics). */
  public static final String DEFAULT_CLIENT_NAME = "felix-java";

  /** Default bound on each request's answer (and on a publish from enqueue to ack). */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Default bound on the QUIC + TLS handshake. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Default receive buffer per subscription, in records. */
  public static final int DEFAULT_RECEIVE_BUFFER_RECORDS = 10_000;

  /**
   * Default number of request streams cache calls are spread over: one. Calls pipeline on it, and
   * calls made while the connection's event loop is busy leave together in one QUIC packet (and
   * their answers come back together); spread over 4 streams, each stream's calls took a packet of
   * their own, and W4 made 1.26x fewer calls per second (docs/benchmarks.md). More streams keep a
   * large value (hundreds of KiB) from delaying the small calls queued behind it on its stream.
   */
  public static final int DEFAULT_CACHE_STREAMS = 1;

  /** Default receive buffer per subscription, in bytes: 8 MiB, one default-sized frame. */
  public static final long DEFAULT_RECEIVE_BUFFER_BYTES = 8L * 1024 * 1024;

  private final ServerAddress serverAddress;
  private final Path caFile;
  private final boolean trustSystemStore;
  private final boolean insecure;
  private final String clientName;
  private final byte[] authToken;
  private final Path clientCertificate;
  private final Path clientKey;
  private final Duration requestTimeout;
  private final Duration connectTimeout;
  private final ReconnectPolicy reconnect;
  private final BatchingPolicy batching;
  private final int receiveBufferRecords;
  private final int listenerThreads;
  private final long receiveBufferBytes;
  private final int cacheStreams;
  private final boolean idempotence;
  private final ClientListener listener;
  private final TransportConfig transport;

  private FelixOptions(Builder b) {
    serverAddress = ServerAddress.parse("serverAddress", b.serverAddress);
    caFile = b.caFile;
    trustSystemStore = b.trustSystemStore;
    insecure = b.insecure;
    clientName = Objects.requireNonNull(b.clientName, "clientName");
    authToken = b.authToken.clone();
    clientCertificate = b.clientCertificate;
    clientKey = b.clientKey;
    requestTimeout = Objects.requireNonNull(b.requestTimeout, "requestTimeout");
    connectTimeout = Objects.requireNonNull(b.connectTimeout, "connectTimeout");
    reconnect = Objects.requireNonNull(b.reconnect, "reconnect");
    batching = Objects.requireNonNull(b.batching, "batching");
    receiveBufferRecords = b.receiveBufferRecords;
    listenerThreads = b.listenerThreads;
    receiveBufferBytes = b.receiveBufferBytes;
    cacheStreams = b.cacheStreams;
    idempotence = b.idempotence;
    listener = Objects.requireNonNull(b.listener, "listener");
    TransportConfig base = b.transport != null ? b.transport : defaultTransport();
    transport = base.toBuilder().connectTimeoutMs(connectTimeout.toMillis()).build();
    validate();
  }

  private void validate() {
    if (insecure && (caFile != null || trustSystemStore)) {
      throw new IllegalArgumentException(
          "insecure skips certificate verification: it takes no caFile and no trustSystemStore");
    }
    if (!insecure && !trustSystemStore && caFile == null) {
      throw new IllegalArgumentException(
          "TLS verification needs trustSystemStore or a caFile (or insecure, for tests only)");
    }
    if (clientName.getBytes(StandardCharsets.UTF_8).length > Hello.MAX_CLIENT_NAME_BYTES) {
      throw new IllegalArgumentException("clientName must be at most 255 UTF-8 bytes");
    }
    if (authToken.length > WireLimits.DEFAULTS.maxTokenBytes()) {
      throw new IllegalArgumentException(
          "authToken must be at most " + WireLimits.DEFAULTS.maxTokenBytes() + " bytes");
    }
    if ((clientCertificate == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          "clientCertificate and clientKey must be set together (mTLS) or not at all");
    }
    requirePositive("requestTimeout", requestTimeout);
    requirePositive("connectTimeout", connectTimeout);
    if (listenerThreads < 0 || listenerThreads > 1024) {
      throw new IllegalArgumentException("listenerThreads must be 0-1024: " + listenerThreads);
    }
    if (receiveBufferRecords < 1) {
      throw new IllegalArgumentException("receiveBufferRecords must be >= 1");
    }
    if (receiveBufferBytes < 1024) {
      throw new IllegalArgumentException("receiveBufferBytes must be >= 1024");
    }
    if (cacheStreams < 1 || cacheStreams > 64) {
      throw new IllegalArgumentException("cacheStreams must be between 1 and 64: " + cacheStreams);
    }
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(name + " must be between 1 ms and 1 h: " + value);
    }
  }

  /** The client's QUIC defaults: the transport's measured defaults on a single event loop. */
  private static TransportConfig defaultTransport() {
    // One connection per client, and one connection is one event-loop thread (QUIC-NOTES).
    return TransportConfig.defaults().toBuilder().eventLoopThreads(1).build();
  }

  /**
   * All defaults: a broker on {@code 127.0.0.1:5000} verified against the system trust store.
   *
   * @return the default options
   */
  public static FelixOptions defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The broker's address.
   *
   * @return {@code host:port}
   */
  public String serverAddress() {
    return serverAddress.toString();
  }

  /**
   * A PEM file of CA certificates trusted in addition to (or, without {@code trustSystemStore},
   * instead of) the system trust store.
   *
   * @return the CA file, if configured
   */
  public Optional<Path> caFile() {
    return Optional.ofNullable(caFile);
  }

  /**
   * Whether the JDK's default trust store verifies the server.
   *
   * @return true by default
   */
  public boolean trustSystemStore() {
    return trustSystemStore;
  }

  /**
   * Whether certificate verification is skipped (logged as a WARN at connect).
   *
   * @return false by default
   */
  public boolean insecure() {
    return insecure;
  }

  /**
   * The name sent in Hello.
   *
   * @return the client name
   */
  public String clientName() {
    return clientName;
  }

  /**
   * The opaque token sent in Hello; empty when none.
   *
   * @return a copy of the token bytes
   */
  public byte[] authToken() {
    return authToken.clone();
  }

  /**
   * The PEM certificate chain presented to a broker that asks for client certificates (mTLS).
   *
   * @return the file, or empty when no certificate is presented
   */
  public Optional<Path> clientCertificate() {
    return Optional.ofNullable(clientCertificate);
  }

  /**
   * The PEM private key of {@link #clientCertificate()}.
   *
   * @return the file, or empty when no certificate is presented
   */
  public Optional<Path> clientKey() {
    return Optional.ofNullable(clientKey);
  }

  /**
   * Bound on each request's answer, and on a publish from enqueue to acknowledgement.
   *
   * @return the request timeout
   */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * Bound on the QUIC and TLS handshake.
   *
   * @return the connect timeout
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * How the client reconnects.
   *
   * @return the reconnect policy
   */
  public ReconnectPolicy reconnect() {
    return reconnect;
  }

  /**
   * How publishes are batched and bounded.
   *
   * @return the batching policy
   */
  public BatchingPolicy batching() {
    return batching;
  }

  /**
   * Default receive buffer of a subscription, in records.
   *
   * @return records buffered before reading from the server pauses
   */
  public int receiveBufferRecords() {
    return receiveBufferRecords;
  }

  /**
   * Threads that run the {@link RecordListener}s of this client's subscriptions: 0 (default) gives
   * every listener subscription a thread of its own; above 0, the listeners share a pool of that
   * many threads, each subscription still served by one thread at a time and in order.
   *
   * @return the pool size, or 0 for a thread per subscription
   */
  public int listenerThreads() {
    return listenerThreads;
  }

  /**
   * Default receive buffer of a subscription, in bytes.
   *
   * @return bytes buffered before reading from the server pauses
   */
  public long receiveBufferBytes() {
    return receiveBufferBytes;
  }

  /**
   * Whether acknowledged publishes are idempotent: each batch carries a producer id and sequence,
   * and a batch in flight when the connection is lost is sent again, as is, once reconnected; the
   * broker recognises the retry and does not append it twice.
   *
   * @return true by default
   */
  public boolean idempotence() {
    return idempotence;
  }

  /**
   * Request streams per connection for cache calls.
   *
   * @return 1 to 64
   */
  public int cacheStreams() {
    return cacheStreams;
  }

  /**
   * Receives asynchronous events and trouble.
   *
   * @return the listener
   */
  public ClientListener listener() {
    return listener;
  }

  /**
   * QUIC settings, with {@code connectTimeout} applied.
   *
   * @return the transport configuration
   */
  public TransportConfig transport() {
    return transport;
  }

  /** Mutable builder; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private String serverAddress = DEFAULT_SERVER_ADDRESS;
    private Path caFile;
    private boolean trustSystemStore = true;
    private boolean insecure;
    private String clientName = DEFAULT_CLIENT_NAME;
    private byte[] authToken = new byte[0];
    private Path clientCertificate;
    private Path clientKey;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
    private BatchingPolicy batching = BatchingPolicy.DEFAULT;
    private int receiveBufferRecords = DEFAULT_RECEIVE_BUFFER_RECORDS;
    private int listenerThreads;
    private long receiveBufferBytes = DEFAULT_RECEIVE_BUFFER_BYTES;
    private int cacheStreams = DEFAULT_CACHE_STREAMS;
    private boolean idempotence = true;
    private ClientListener listener = new ClientListener() {};
    private TransportConfig transport;

    private Builder() {}

    private Builder(FelixOptions o) {
      serverAddress = o.serverAddress.toString();
      caFile = o.caFile;
      trustSystemStore = o.trustSystemStore;
      insecure = o.insecure;
      clientName = o.clientName;
      authToken = o.authToken.clone();
      clientCertificate = o.clientCertificate;
      clientKey = o.clientKey;
      requestTimeout = o.requestTimeout;
      connectTimeout = o.connectTimeout;
      reconnect = o.reconnect;
      batching = o.batching;
      receiveBufferRecords = o.receiveBufferRecords;
      listenerThreads = o.listenerThreads;
      receiveBufferBytes = o.receiveBufferBytes;
      cacheStreams = o.cacheStreams;
      idempotence = o.idempotence;
      listener = o.listener;
      transport = o.transport;
    }

    /**
     * The broker to connect to.
     *
     * @param value {@code host:port}; IPv6 literals in brackets
     * @return this builder
     */
    public Builder serverAddress(String value) {
      serverAddress = value;
      return this;
    }

    /**
     * Trusts the CA certificates in a PEM file, e.g. a local broker's development CA ({@code
     * <dataDir>/tls/dev-ca.pem}).
     *
     * @param value the PEM file, or null for none
     * @return this builder
     */
    public Builder caFile(Path value) {
      caFile = value;
      return this;
    }

    /**
     * Whether the system trust store verifies the server (besides any {@link #caFile}).
     *
     * @param value true by default
     * @return this builder
     */
    public Builder trustSystemStore(boolean value) {
      trustSystemStore = value;
      return this;
    }

    /**
     * Skips certificate and hostname verification: anyone on the path can impersonate the broker.
     * For tests and local experiments only; every connect logs a WARN. Clears {@code caFile} and
     * {@code trustSystemStore}.
     *
     * @param value true to skip verification
     * @return this builder
     */
    public Builder insecure(boolean value) {
      insecure = value;
      if (value) {
        caFile = null;
        trustSystemStore = false;
      } else if (caFile == null) {
        trustSystemStore = true;
      }
      return this;
    }

    /**
     * The name sent in Hello.
     *
     * @param value at most 255 UTF-8 bytes
     * @return this builder
     */
    public Builder clientName(String value) {
      clientName = value;
      return this;
    }

    /**
     * The credentials sent in Hello (for example a JWT); opaque to the protocol.
     *
     * @param value at most 16 KiB; copied
     * @return this builder
     */
    public Builder authToken(byte[] value) {
      authToken = value == null ? new byte[0] : value.clone();
      return this;
    }

    /**
     * The client certificate (PEM chain, the client's certificate first) presented when the broker
     * asks for one (mTLS). The broker maps its subject to a principal: CN is the name, O the
     * tenant, each OU a group.
     *
     * @param value the PEM file, or null for none; needs {@link #clientKey}
     * @return this builder
     */
    public Builder clientCertificate(Path value) {
      clientCertificate = value;
      return this;
    }

    /**
     * The unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1) of {@link #clientCertificate}.
     *
     * @param value the PEM file, or null for none
     * @return this builder
     */
    public Builder clientKey(Path value) {
      clientKey = value;
      return this;
    }

    /**
     * Bound on each request's answer and on a publish from enqueue to acknowledgement.
     *
     * @param value 1 ms to 1 h
     * @return this builder
     */
    public Builder requestTimeout(Duration value) {
      requestTimeout = value;
      return this;
    }

    /**
     * Bound on the QUIC and TLS handshake of each connect.
     *
     * @param value 1 ms to 1 h
     * @return this builder
     */
    public Builder connectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    /**
     * How to reconnect; {@link ReconnectPolicy#DISABLED} to close the client on the first loss.
     *
     * @param value the policy
     * @return this builder
     */
    public Builder reconnect(ReconnectPolicy value) {
      reconnect = value;
      return this;
    }

    /**
     * How publishes are batched and bounded.
     *
     * @param value the policy
     * @return this builder
     */
    public Builder batching(BatchingPolicy value) {
      batching = value;
      return this;
    }

    /**
     * Runs record listeners on a shared pool of {@code value} threads instead of a thread per
     * listener subscription. Why: thousands of subscriptions would otherwise mean thousands of
     * threads (memory, context switches). The trade: a listener that blocks holds a pool thread,
     * and when every pool thread is blocked, the other subscriptions wait (their buffers fill and
     * their streams pause, as for a slow listener); one thread per subscription isolates them.
     *
     * @param value 0 (default: a thread per subscription) to 1024
     * @return this builder
     */
    public Builder listenerThreads(int value) {
      listenerThreads = value;
      return this;
    }

    /**
     * Default receive buffer of each subscription, in records.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder receiveBufferRecords(int value) {
      receiveBufferRecords = value;
      return this;
    }

    /**
     * Default receive buffer of each subscription, in bytes.
     *
     * @param value at least 1024
     * @return this builder
     */
    public Builder receiveBufferBytes(long value) {
      receiveBufferBytes = value;
      return this;
    }

    /**
     * Idempotent publishing with retries of in-flight batches after a reconnect (the broker must
     * grant IDEMPOTENT_PRODUCER; an older broker gets plain publishes).
     *
     * @param value false to send producer id 0 and fail in-flight publishes on a lost connection
     * @return this builder
     */
    public Builder idempotence(boolean value) {
      idempotence = value;
      return this;
    }

    /**
     * Request streams per connection that cache calls are spread over (round robin, many calls in
     * flight on each). One (the default) packs concurrent calls into the fewest packets; raise it
     * when large values mix with small calls, so that a large value delays only its own stream.
     *
     * @param value 1 to 64
     * @return this builder
     */
    public Builder cacheStreams(int value) {
      cacheStreams = value;
      return this;
    }

    /**
     * Receives asynchronous events and trouble, on the client's callback thread.
     *
     * @param value the listener
     * @return this builder
     */
    public Builder listener(ClientListener value) {
      listener = value;
      return this;
    }

    /**
     * QUIC settings. The connect timeout of this configuration is replaced by {@link
     * #connectTimeout}.
     *
     * @param value the transport configuration
     * @return this builder
     */
    public Builder transport(TransportConfig value) {
      transport = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the options
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public FelixOptions build() {
      return new FelixOptions(this);
    }
  }
}
