package dev.felix.transport;

import dev.felix.wire.WireLimits;
import java.util.Objects;

/**
 * QUIC transport settings of one endpoint (server or client), validated once at construction with
 * errors that name the setting. Immutable; build it with {@link #builder()} or start from {@link
 * #defaults()}.
 *
 * <p>The defaults are the values measured in QUIC-NOTES, not quiche's: quiche starts every
 * transport parameter at 0, and with a 0 window or stream limit the first stream fails with
 * STREAM_LIMIT_ERROR (QUIC-NOTES trap 1). {@code docs/transport.md} explains each default.
 *
 * <p>Stream limits are announced to the peer: {@code maxBidiStreams} is how many bidirectional
 * streams the <em>peer</em> may have open at once on a connection to this endpoint (on the server:
 * the client's control stream plus its request streams), {@code maxUniStreams} how many
 * unidirectional ones (on the client: the server's subscription streams). quiche raises the limit
 * again as streams complete.
 *
 * @param initialMaxDataBytes connection-level flow-control window (bytes in flight over all
 *     streams); default 64 MiB
 * @param initialMaxStreamDataBytes per-stream flow-control window, applied to bidirectional (both
 *     directions) and unidirectional streams; default 16 MiB
 * @param maxBidiStreams concurrent bidirectional streams the peer may open; default 128
 * @param maxUniStreams concurrent unidirectional streams the peer may open; default 1024
 * @param maxIdleTimeoutMs a connection with no packet for this long is closed (the smaller of both
 *     sides' values applies); default 30,000
 * @param socketReceiveBufferBytes UDP SO_RCVBUF; default 4 MiB (the 208 KiB OS default overflowed
 *     on loopback and collapsed throughput, QUIC-NOTES trap 3)
 * @param socketSendBufferBytes UDP SO_SNDBUF; default 4 MiB
 * @param maxUdpPayloadBytes largest UDP payload sent and accepted over a network path; default
 *     1350, which fits the common 1500-byte MTU with room for tunnels (QUIC has no fragmentation,
 *     and a datagram larger than the path MTU is simply lost)
 * @param loopbackUdpPayloadBytes largest UDP payload on the loopback interface, used instead of
 *     {@code maxUdpPayloadBytes} when a client connects to a loopback address and when a server is
 *     bound to one (a server bound to a wildcard address also binds the loopback address on its
 *     port for local clients, and its wildcard sockets accept datagrams this large but send
 *     network-sized ones, since they cannot tell a loopback peer's path from a remote one); default
 *     16 KiB. Loopback's MTU is 64 KiB, and with 1350-byte datagrams a fan-out spent most of its
 *     CPU in one system call and one packet protection per 1350 bytes: 16 KiB datagrams cut the
 *     packets of a W2 run by 10x and raised its deliveries/s 2.4-3x (docs/benchmarks.md)
 * @param congestionControl congestion controller; default CUBIC
 * @param wireLimits frame limits; frames whose header announces more than {@code
 *     maxFramePayloadBytes} are refused before any payload is buffered; default {@link
 *     WireLimits#DEFAULTS}
 * @param writeCoalesceBytes small frames written to a stream are copied into direct buffers of this
 *     size before they reach quiche, so many frames cost one QUIC write; default 16 KiB
 * @param sendQueueHighWaterMarkBytes a stream turns unwritable when more than this many bytes wait
 *     in its send queue; default 1 MiB
 * @param sendQueueLowWaterMarkBytes an unwritable stream turns writable again when its send queue
 *     drops to this many bytes; default 256 KiB
 * @param maxPendingStreamOpens stream opens that may wait per connection for stream credit from the
 *     peer before further opens fail with {@code BACKPRESSURE}; default 1024
 * @param streamOpenTimeoutMs a stream open that waited this long for stream credit fails with
 *     {@code BACKPRESSURE}; default 10,000
 * @param connectTimeoutMs a client connect (QUIC + TLS handshake and control stream) that takes
 *     longer fails with {@code TIMEOUT}; default 10,000
 * @param eventLoopThreads event-loop threads (each connection lives on one): on a client endpoint
 *     the loops its connections are spread over; on the server the number of UDP sockets bound to
 *     the same port with SO_REUSEPORT, one loop each; default: the number of processors
 */
public record TransportConfig(
    long initialMaxDataBytes,
    long initialMaxStreamDataBytes,
    long maxBidiStreams,
    long maxUniStreams,
    long maxIdleTimeoutMs,
    int socketReceiveBufferBytes,
    int socketSendBufferBytes,
    int maxUdpPayloadBytes,
    int loopbackUdpPayloadBytes,
    CongestionControl congestionControl,
    WireLimits wireLimits,
    int writeCoalesceBytes,
    long sendQueueHighWaterMarkBytes,
    long sendQueueLowWaterMarkBytes,
    int maxPendingStreamOpens,
    long streamOpenTimeoutMs,
    long connectTimeoutMs,
    int eventLoopThreads) {

  private static final long MIB = 1024 * 1024;

  /** Default connection window: 64 MiB (QUIC-NOTES trap 1). */
  public static final long DEFAULT_INITIAL_MAX_DATA_BYTES = 64 * MIB;

  /** Default stream window: 16 MiB (QUIC-NOTES trap 1). */
  public static final long DEFAULT_INITIAL_MAX_STREAM_DATA_BYTES = 16 * MIB;

  public static final long DEFAULT_MAX_BIDI_STREAMS = 128;
  public static final long DEFAULT_MAX_UNI_STREAMS = 1024;
  public static final long DEFAULT_MAX_IDLE_TIMEOUT_MS = 30_000;

  /** 4 MiB is this machine's limit without sysctl and fixed loopback loss (QUIC-NOTES trap 3). */
  public static final int DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

  public static final int DEFAULT_MAX_UDP_PAYLOAD_BYTES = 1350;

  /** 16 KiB: a tenth of the packets of 1350-byte datagrams; 64 KiB measured no better. */
  public static final int DEFAULT_LOOPBACK_UDP_PAYLOAD_BYTES = 16 * 1024;

  /** The largest UDP payload over IPv6 on a 64 KiB loopback MTU (65,536 - 40 - 8 bytes). */
  public static final int MAX_LOOPBACK_UDP_PAYLOAD_BYTES = 65_488;

  public static final int DEFAULT_WRITE_COALESCE_BYTES = 16 * 1024;
  public static final long DEFAULT_SEND_QUEUE_HIGH_WATER_MARK_BYTES = MIB;
  public static final long DEFAULT_SEND_QUEUE_LOW_WATER_MARK_BYTES = 256 * 1024;
  public static final int DEFAULT_MAX_PENDING_STREAM_OPENS = 1024;
  public static final long DEFAULT_STREAM_OPEN_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

  /** Validates every setting; the message names the first one that is out of range. */
  public TransportConfig {
    requireRange("initialMaxDataBytes", initialMaxDataBytes, 64 * 1024, 1L << 40);
    requireRange("initialMaxStreamDataBytes", initialMaxStreamDataBytes, 16 * 1024, 1L << 40);
    if (initialMaxStreamDataBytes > initialMaxDataBytes) {
      throw new IllegalArgumentException(
          "initialMaxStreamDataBytes ("
              + initialMaxStreamDataBytes
              + ") must not exceed initialMaxDataBytes ("
              + initialMaxDataBytes
              + ")");
    }
    requireRange("maxBidiStreams", maxBidiStreams, 1, 1L << 20);
    requireRange("maxUniStreams", maxUniStreams, 1, 1L << 20);
    requireRange("maxIdleTimeoutMs", maxIdleTimeoutMs, 100, 24L * 3600 * 1000);
    requireRange("socketReceiveBufferBytes", socketReceiveBufferBytes, 64 * 1024, 1 << 30);
    requireRange("socketSendBufferBytes", socketSendBufferBytes, 64 * 1024, 1 << 30);
    // 1200 is the QUIC minimum (RFC 9000 section 14); 65527 the largest UDP payload quiche takes.
    requireRange("maxUdpPayloadBytes", maxUdpPayloadBytes, 1200, 65_527);
    requireRange(
        "loopbackUdpPayloadBytes", loopbackUdpPayloadBytes, 1200, MAX_LOOPBACK_UDP_PAYLOAD_BYTES);
    Objects.requireNonNull(congestionControl, "congestionControl");
    Objects.requireNonNull(wireLimits, "wireLimits");
    requireRange("writeCoalesceBytes", writeCoalesceBytes, 1024, 16 * 1024 * 1024);
    requireRange("sendQueueHighWaterMarkBytes", sendQueueHighWaterMarkBytes, 1024, 1L << 40);
    requireRange(
        "sendQueueLowWaterMarkBytes", sendQueueLowWaterMarkBytes, 0, sendQueueHighWaterMarkBytes);
    requireRange("maxPendingStreamOpens", maxPendingStreamOpens, 0, 1 << 20);
    requireRange("streamOpenTimeoutMs", streamOpenTimeoutMs, 1, 3_600_000);
    requireRange("connectTimeoutMs", connectTimeoutMs, 1, 3_600_000);
    requireRange("eventLoopThreads", eventLoopThreads, 1, 1024);
  }

  /** The largest UDP payload to send to, or accept from, a peer on a loopback path or not. */
  public int udpPayloadBytes(boolean loopback) {
    return loopback ? loopbackUdpPayloadBytes : maxUdpPayloadBytes;
  }

  /** The measured defaults listed on this class. */
  public static TransportConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "transport setting "
              + name
              + " must be between "
              + min
              + " and "
              + max
              + ", was "
              + value);
    }
  }

  /** Mutable builder; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private long initialMaxDataBytes = DEFAULT_INITIAL_MAX_DATA_BYTES;
    private long initialMaxStreamDataBytes = DEFAULT_INITIAL_MAX_STREAM_DATA_BYTES;
    private long maxBidiStreams = DEFAULT_MAX_BIDI_STREAMS;
    private long maxUniStreams = DEFAULT_MAX_UNI_STREAMS;
    private long maxIdleTimeoutMs = DEFAULT_MAX_IDLE_TIMEOUT_MS;
    private int socketReceiveBufferBytes = DEFAULT_SOCKET_BUFFER_BYTES;
    private int socketSendBufferBytes = DEFAULT_SOCKET_BUFFER_BYTES;
    private int maxUdpPayloadBytes = DEFAULT_MAX_UDP_PAYLOAD_BYTES;
    private int loopbackUdpPayloadBytes = DEFAULT_LOOPBACK_UDP_PAYLOAD_BYTES;
    private CongestionControl congestionControl = CongestionControl.CUBIC;
    private WireLimits wireLimits = WireLimits.DEFAULTS;
    private int writeCoalesceBytes = DEFAULT_WRITE_COALESCE_BYTES;
    private long sendQueueHighWaterMarkBytes = DEFAULT_SEND_QUEUE_HIGH_WATER_MARK_BYTES;
    private long sendQueueLowWaterMarkBytes = DEFAULT_SEND_QUEUE_LOW_WATER_MARK_BYTES;
    private int maxPendingStreamOpens = DEFAULT_MAX_PENDING_STREAM_OPENS;
    private long streamOpenTimeoutMs = DEFAULT_STREAM_OPEN_TIMEOUT_MS;
    private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
    private int eventLoopThreads = Runtime.getRuntime().availableProcessors();

    private Builder() {}

    private Builder(TransportConfig c) {
      initialMaxDataBytes = c.initialMaxDataBytes;
      initialMaxStreamDataBytes = c.initialMaxStreamDataBytes;
      maxBidiStreams = c.maxBidiStreams;
      maxUniStreams = c.maxUniStreams;
      maxIdleTimeoutMs = c.maxIdleTimeoutMs;
      socketReceiveBufferBytes = c.socketReceiveBufferBytes;
      socketSendBufferBytes = c.socketSendBufferBytes;
      maxUdpPayloadBytes = c.maxUdpPayloadBytes;
      loopbackUdpPayloadBytes = c.loopbackUdpPayloadBytes;
      congestionControl = c.congestionControl;
      wireLimits = c.wireLimits;
      writeCoalesceBytes = c.writeCoalesceBytes;
      sendQueueHighWaterMarkBytes = c.sendQueueHighWaterMarkBytes;
      sendQueueLowWaterMarkBytes = c.sendQueueLowWaterMarkBytes;
      maxPendingStreamOpens = c.maxPendingStreamOpens;
      streamOpenTimeoutMs = c.streamOpenTimeoutMs;
      connectTimeoutMs = c.connectTimeoutMs;
      eventLoopThreads = c.eventLoopThreads;
    }

    public Builder initialMaxDataBytes(long value) {
      initialMaxDataBytes = value;
      return this;
    }

    public Builder initialMaxStreamDataBytes(long value) {
      initialMaxStreamDataBytes = value;
      return this;
    }

    public Builder maxBidiStreams(long value) {
      maxBidiStreams = value;
      return this;
    }

    public Builder maxUniStreams(long value) {
      maxUniStreams = value;
      return this;
    }

    public Builder maxIdleTimeoutMs(long value) {
      maxIdleTimeoutMs = value;
      return this;
    }

    public Builder socketReceiveBufferBytes(int value) {
      socketReceiveBufferBytes = value;
      return this;
    }

    public Builder socketSendBufferBytes(int value) {
      socketSendBufferBytes = value;
      return this;
    }

    public Builder maxUdpPayloadBytes(int value) {
      maxUdpPayloadBytes = value;
      return this;
    }

    public Builder loopbackUdpPayloadBytes(int value) {
      loopbackUdpPayloadBytes = value;
      return this;
    }

    public Builder congestionControl(CongestionControl value) {
      congestionControl = value;
      return this;
    }

    public Builder wireLimits(WireLimits value) {
      wireLimits = value;
      return this;
    }

    public Builder writeCoalesceBytes(int value) {
      writeCoalesceBytes = value;
      return this;
    }

    public Builder sendQueueHighWaterMarkBytes(long value) {
      sendQueueHighWaterMarkBytes = value;
      return this;
    }

    public Builder sendQueueLowWaterMarkBytes(long value) {
      sendQueueLowWaterMarkBytes = value;
      return this;
    }

    public Builder maxPendingStreamOpens(int value) {
      maxPendingStreamOpens = value;
      return this;
    }

    public Builder streamOpenTimeoutMs(long value) {
      streamOpenTimeoutMs = value;
      return this;
    }

    public Builder connectTimeoutMs(long value) {
      connectTimeoutMs = value;
      return this;
    }

    public Builder eventLoopThreads(int value) {
      eventLoopThreads = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first setting that is out of range
     */
    public TransportConfig build() {
      return new TransportConfig(
          initialMaxDataBytes,
          initialMaxStreamDataBytes,
          maxBidiStreams,
          maxUniStreams,
          maxIdleTimeoutMs,
          socketReceiveBufferBytes,
          socketSendBufferBytes,
          maxUdpPayloadBytes,
          loopbackUdpPayloadBytes,
          congestionControl,
          wireLimits,
          writeCoalesceBytes,
          sendQueueHighWaterMarkBytes,
          sendQueueLowWaterMarkBytes,
          maxPendingStreamOpens,
          streamOpenTimeoutMs,
          connectTimeoutMs,
          eventLoopThreads);
    }
  }
}
