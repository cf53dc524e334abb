package dev.felix.transport.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Set-up of every stream the peer opens, shared by all connections of an endpoint (hence
 * {@code @Sharable}, as QUIC-NOTES trap 4 requires of handlers given to the codec builders; a
 * ChannelInitializer keeps no per-channel state). Runs on the connection's event loop.
 */
// Netty channel operations (close, shutdown, write) report failure through channel events, which
// this class handles; CompletableFuture.whenComplete is used for its side effect. The futures they
// return are deliberately not kept.
@SuppressWarnings("FutureReturnValueIgnored")
@ChannelHandler.Sharable
final class PeerStreamInitializer extends ChannelInitializer<QuicStreamChannel> {
  static final PeerStreamInitializer INSTANCE = new PeerStreamInitializer();

  private PeerStreamInitializer() {}

  @Override
  protected void initChannel(QuicStreamChannel ch) {
    QuicConnection connection = QuicConnection.of(ch.parent());
    if (connection == null) {
      ch.close();
      return;
    }
    connection.onPeerStream(ch);
  }
}
