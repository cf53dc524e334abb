package dev.felix.transport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Client-side test listener: a {@link Recorder} per opened stream, plus the close reason. */
class ClientSide implements ConnectionListener {
  final Recorder control;
  final List<Recorder> subscriptions = new CopyOnWriteArrayList<>();
  final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  private final Supplier<Recorder> subscriptionRecorders;

  ClientSide() {
    this(new Recorder(), Recorder::new);
  }

  ClientSide(Recorder control, Supplier<Recorder> subscriptionRecorders) {
    this.control = control;
    this.subscriptionRecorders = subscriptionRecorders;
  }

  @Override
  public StreamListener onStreamOpened(FrameStream stream) {
    if (stream.role() == StreamRole.CONTROL) {
      control.stream.complete(stream);
      return control;
    }
    Recorder recorder = subscriptionRecorders.get();
    recorder.stream.complete(stream);
    subscriptions.add(recorder);
    return recorder;
  }

  @Override
  public void onClosed(TransportConnection connection, CloseReason reason) {
    closed.complete(reason);
  }
}
