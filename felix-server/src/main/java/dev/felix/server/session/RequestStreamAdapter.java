package dev.felix.server.session;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.WireLimits;
import java.nio.ByteBuffer;

/**
 * Request streams carry request/response calls (the cache calls in v1). The cache is not part of
 * this build yet, and its capability is never granted in HelloOk, so every call is answered with
 * Error UNSUPPORTED_FEATURE and its request id; malformed frames get their own typed error.
 *
 * <p>Threading: called on the connection's event loop.
 */
final class RequestStreamAdapter implements StreamListener {
  private final Replies replies;
  private final FrameCodec codec;

  RequestStreamAdapter(Replies replies, WireLimits limits) {
    this.replies = replies;
    this.codec = new FrameCodec(limits);
  }

  @Override
  public void onFrame(FrameStream stream, ByteBuffer frame) {
    int requestId = FrameHeader.requestId(frame, 0);
    try {
      codec.decode(frame);
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE, "cache calls were not granted (capability CACHE)");
    } catch (RuntimeException e) {
      replies.error(stream, requestId, e);
    }
  }

  /**
   * A bad header on a request stream ends that stream only. The Error written here is sent before
   * the transport finishes the stream (protocol.md section 1.6), and counted like every other.
   */
  @Override
  public void onProtocolError(FrameStream stream, ProtocolException error) {
    replies.error(stream, 0, error);
  }

  @Override
  public void onInputFinished(FrameStream stream) {
    stream.finish();
  }
}
