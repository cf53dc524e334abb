package dev.felix.transport.internal;

import dev.felix.transport.TransportConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * Applies a {@link TransportConfig} to Netty's QUIC codec builders. Every transport parameter is
 * set explicitly: quiche starts them all at 0, and a 0 window or stream limit makes the first
 * stream fail with STREAM_LIMIT_ERROR (QUIC-NOTES trap 1).
 */
final class QuicCodecs {
  /** Datagrams read per read loop before the loop yields (Netty's default for datagrams). */
  static final int DATAGRAMS_PER_READ = 16;

  private QuicCodecs() {}

  /**
   * A server codec for a socket bound to {@code bindAddress}. Bound to a loopback address, every
   * peer is on this host, so datagrams may be loopback-sized both ways. Bound to a wildcard or a
   * network address, the codec accepts loopback-sized datagrams (a peer on this host may send them;
   * accepting them costs nothing on a network path) but sends network-sized ones: one codec serves
   * every peer of its socket, and a remote peer's path would drop larger datagrams.
   */
  static QuicServerCodecBuilder server(TransportConfig config, InetAddress bindAddress) {
    boolean loopback = bindAddress.isLoopbackAddress();
    return apply(
        new QuicServerCodecBuilder(),
        config,
        config.udpPayloadBytes(loopback),
        receivePayloadBytes(config, bindAddress));
  }

  /** A client codec for a connection to {@code remote}: loopback-sized datagrams to this host. */
  static QuicClientCodecBuilder client(TransportConfig config, InetAddress remote) {
    int payload = config.udpPayloadBytes(remote.isLoopbackAddress());
    return apply(new QuicClientCodecBuilder(), config, payload, payload);
  }

  /**
   * The largest datagram a socket must be able to receive: for a server socket bound to {@code
   * address}, or a client socket talking to it. A wildcard-bound server socket accepts
   * loopback-sized datagrams from local peers, so it needs the larger of both sizes.
   */
  static int receivePayloadBytes(TransportConfig config, InetAddress address) {
    if (address.isLoopbackAddress()) {
      return config.udpPayloadBytes(true);
    }
    return address.isAnyLocalAddress()
        ? Math.max(config.udpPayloadBytes(false), config.udpPayloadBytes(true))
        : config.udpPayloadBytes(false);
  }

  /**
   * A UDP socket bootstrap on {@code group} with the configured socket buffers and a read buffer
   * for datagrams of {@code receivePayloadBytes}; the caller adds the codec and binds.
   */
  static Bootstrap datagramSocket(
      EventLoopGroup group, TransportConfig config, int receivePayloadBytes) {
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, config.socketReceiveBufferBytes())
        .option(ChannelOption.SO_SNDBUF, config.socketSendBufferBytes())
        .option(ChannelOption.RCVBUF_ALLOCATOR, datagramReceiveBuffers(receivePayloadBytes));
  }

  /**
   * Netty reads each datagram into a buffer of a fixed size (2 KiB unless told otherwise) and
   * silently truncates a larger one, which QUIC then discards as undecryptable: the buffer must
   * hold the largest payload the codec accepts. A new allocator reads one datagram per read loop
   * unless told otherwise, where Netty's datagram default is {@value #DATAGRAMS_PER_READ}: with
   * one, every datagram ends a read loop and flushes what the connection has to send, which cost W4
   * a third of its calls per second.
   */
  private static RecvByteBufAllocator datagramReceiveBuffers(int receivePayloadBytes) {
    return new FixedRecvByteBufAllocator(Math.max(2048, receivePayloadBytes))
        .maxMessagesPerRead(DATAGRAMS_PER_READ);
  }

  private static <B extends QuicCodecBuilder<B>> B apply(
      B builder, TransportConfig config, int sendPayloadBytes, int receivePayloadBytes) {
    long streamWindow = config.initialMaxStreamDataBytes();
    return builder
        .initialMaxData(config.initialMaxDataBytes())
        .initialMaxStreamDataBidirectionalLocal(streamWindow)
        .initialMaxStreamDataBidirectionalRemote(streamWindow)
        .initialMaxStreamDataUnidirectional(streamWindow)
        .initialMaxStreamsBidirectional(config.maxBidiStreams())
        .initialMaxStreamsUnidirectional(config.maxUniStreams())
        .maxIdleTimeout(config.maxIdleTimeoutMs(), TimeUnit.MILLISECONDS)
        .maxSendUdpPayloadSize(sendPayloadBytes)
        .maxRecvUdpPayloadSize(receivePayloadBytes)
        .congestionControlAlgorithm(
            switch (config.congestionControl()) {
              case CUBIC -> QuicCongestionControlAlgorithm.CUBIC;
              case RENO -> QuicCongestionControlAlgorithm.RENO;
              case BBR -> QuicCongestionControlAlgorithm.BBR;
            });
  }
}
