package dev.felix.server.session;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.transport.FrameStream;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.Message;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes answers onto a stream and turns any failure into a typed Error reply (counted by code),
 * so that a bad request never becomes anything worse than its own Error frame.
 */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private final ServerMetrics metrics;

  Replies(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  void send(FrameStream stream, int requestId, Message message) {
    stream.write(FrameCodec.encode(requestId, message));
  }

  void error(FrameStream stream, int requestId, Throwable failure) {
    FelixException typed = typed(failure);
    metrics.error(typed.code());
    stream.write(FrameCodec.encode(requestId, ErrorReply.of(typed)));
  }

  /** The typed form of any failure; unexpected ones are logged (they are bugs) as INTERNAL. */
  static FelixException typed(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof FelixException felix) {
      return felix;
    }
    LOG.warn("internal error answering a request", cause);
    return new FelixException(
        ErrorCode.INTERNAL, "internal error: " + cause.getClass().getSimpleName());
  }
}
