package dev.felix.transport.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.WireLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a stream channel: splits received bytes into frames and turns Netty events
 * into {@link QuicFrameStream} calls. One instance per stream, owned by its event loop.
 */
final class FrameInboundHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FrameInboundHandler.class);

  private final QuicFrameStream stream;
  private final FrameAccumulator accumulator;
  private boolean failed;
  private boolean inputFinished;

  FrameInboundHandler(QuicFrameStream stream, WireLimits limits) {
    this.stream = stream;
    this.accumulator = new FrameAccumulator(limits);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (failed || !(msg instanceof ByteBuf buffer)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    accumulator.add(buffer, ctx.alloc());
    try {
      accumulator.drain(stream);
    } catch (ProtocolException e) {
      fail(e);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!failed) {
      stream.onReadComplete();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && !inputFinished && !failed) {
      inputFinished = true;
      if (accumulator.hasPartialFrame()) {
        fail(
            new ProtocolException(
                ErrorCode.MALFORMED_FRAME,
                "stream ended inside a frame ("
                    + accumulator.bufferedBytes()
                    + " bytes of an incomplete frame)"));
      } else {
        stream.onInputFinished();
      }
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    stream.onChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof QuicStreamResetException reset) {
      stream.onPeerReset(reset.applicationProtocolCode());
    } else {
      LOG.debug("{}: stream failed", stream, cause);
      stream.onStreamFailure(cause);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    accumulator.release();
    stream.onChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    accumulator.release();
  }

  private void fail(ProtocolException error) {
    failed = true;
    accumulator.release();
    stream.onProtocolError(error);
  }
}
