package dev.felix.transport.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-connection handler on a {@link io.netty.handler.codec.quic.QuicChannel}: turns Netty events
 * into {@link QuicConnection} calls. One instance per connection (not shared), on its event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

  private final QuicConnection connection;
  private final Consumer<QuicConnection> onActive;

  /**
   * @param onActive called once the handshake completed (server: accept the connection); null on
   *     the client, whose connect future reports it
   */
  ConnectionHandler(QuicConnection connection, Consumer<QuicConnection> onActive) {
    this.connection = connection;
    this.onActive = onActive;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (onActive != null) {
      onActive.accept(connection);
    }
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof QuicStreamLimitChangedEvent) {
      connection.onStreamLimitChanged();
    } else if (evt instanceof QuicConnectionCloseEvent close) {
      connection.onPeerClose(close);
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.onChannelInactive();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Handshake and transport failures end in channelInactive with a reason; log the detail only.
    LOG.debug("{}: {}", connection, cause.toString());
  }
}
