package dev.felix.transport;

import dev.felix.wire.FrameCodec;
import dev.felix.wire.message.ErrorReply;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Server-side test behaviour: every frame on a control or request stream is written back on the
 * same stream; a finished input finishes the output. Records connections and protocol errors.
 */
class Echo implements ConnectionAcceptor {
  /** A frame with this request id makes the server's stream listener throw. */
  static final int FAILING_REQUEST_ID = -1;

  final List<TransportConnection> connections = new CopyOnWriteArrayList<>();
  final CompletableFuture<TransportConnection> firstConnection = new CompletableFuture<>();
  final List<Recorder> streams = new CopyOnWriteArrayList<>();

  /** When set, a protocol error on the control stream closes the connection with its code. */
  volatile boolean closeConnectionOnControlError;

  /** When set, a protocol error is answered with an Error frame before the stream closes. */
  volatile boolean answerProtocolErrors;

  @Override
  public ConnectionListener onConnection(TransportConnection connection) {
    connections.add(connection);
    firstConnection.complete(connection);
    return stream -> {
      Recorder recorder =
          new Recorder() {
            @Override
            public void onFrame(FrameStream s, ByteBuffer frame) {
              if (Frames.requestId(frame) == FAILING_REQUEST_ID) {
                throw new IllegalStateException("listener bug, on purpose");
              }
              s.write(frame);
            }

            @Override
            public void onInputFinished(FrameStream s) {
              super.onInputFinished(s);
              s.finish();
            }

            @Override
            public void onProtocolError(FrameStream s, dev.felix.error.ProtocolException error) {
              super.onProtocolError(s, error);
              if (answerProtocolErrors) {
                s.write(FrameCodec.encode(0, ErrorReply.of(error)));
              }
              if (closeConnectionOnControlError && s.role() == StreamRole.CONTROL) {
                s.connection().close(error.code().code(), error.getMessage());
              }
            }
          };
      recorder.stream.complete(stream);
      streams.add(recorder);
      return recorder;
    };
  }
}
