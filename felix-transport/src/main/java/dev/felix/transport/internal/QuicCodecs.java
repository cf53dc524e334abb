package dev.felix.transport.internal;

import dev.felix.transport.TransportConfig;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import java.util.concurrent.TimeUnit;

/**
 * Applies a {@link TransportConfig} to Netty's QUIC codec builders. Every transport parameter is
 * set explicitly: quiche starts them all at 0, and a 0 window or stream limit makes the first
 * stream fail with STREAM_LIMIT_ERROR (QUIC-NOTES trap 1).
 */
final class QuicCodecs {
  private QuicCodecs() {}

  static QuicServerCodecBuilder server(TransportConfig config) {
    return apply(new QuicServerCodecBuilder(), config);
  }

  static QuicClientCodecBuilder client(TransportConfig config) {
    return apply(new QuicClientCodecBuilder(), config);
  }

  private static <B extends QuicCodecBuilder<B>> B apply(B builder, TransportConfig config) {
    long streamWindow = config.initialMaxStreamDataBytes();
    return builder
        .initialMaxData(config.initialMaxDataBytes())
        .initialMaxStreamDataBidirectionalLocal(streamWindow)
        .initialMaxStreamDataBidirectionalRemote(streamWindow)
        .initialMaxStreamDataUnidirectional(streamWindow)
        .initialMaxStreamsBidirectional(config.maxBidiStreams())
        .initialMaxStreamsUnidirectional(config.maxUniStreams())
        .maxIdleTimeout(config.maxIdleTimeoutMs(), TimeUnit.MILLISECONDS)
        .maxSendUdpPayloadSize(config.maxUdpPayloadBytes())
        .maxRecvUdpPayloadSize(config.maxUdpPayloadBytes())
        .congestionControlAlgorithm(
            switch (config.congestionControl()) {
              case CUBIC -> QuicCongestionControlAlgorithm.CUBIC;
              case RENO -> QuicCongestionControlAlgorithm.RENO;
              case BBR -> QuicCongestionControlAlgorithm.BBR;
            });
  }
}
