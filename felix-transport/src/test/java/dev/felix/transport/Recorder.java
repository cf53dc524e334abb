package dev.felix.transport;

import dev.felix.error.ProtocolException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/** A stream listener that records everything, for assertions from the test thread. */
class Recorder implements StreamListener {
  final LinkedBlockingQueue<ByteBuffer> frames = new LinkedBlockingQueue<>();
  final List<Boolean> writability = new CopyOnWriteArrayList<>();
  final CompletableFuture<Void> inputFinished = new CompletableFuture<>();
  final CompletableFuture<ProtocolException> protocolError = new CompletableFuture<>();
  final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  final CompletableFuture<FrameStream> stream = new CompletableFuture<>();

  @Override
  public void onFrame(FrameStream s, ByteBuffer frame) {
    stream.complete(s);
    frames.add(frame);
  }

  @Override
  public void onInputFinished(FrameStream s) {
    inputFinished.complete(null);
  }

  @Override
  public void onProtocolError(FrameStream s, ProtocolException error) {
    protocolError.complete(error);
  }

  @Override
  public void onWritabilityChanged(FrameStream s, boolean writable) {
    writability.add(writable);
  }

  @Override
  public void onClosed(FrameStream s, CloseReason reason) {
    closed.complete(reason);
  }
}
