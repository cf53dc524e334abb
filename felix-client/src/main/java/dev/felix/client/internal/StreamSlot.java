package dev.felix.client.internal;

import dev.felix.transport.FrameStream;

/** One request stream of a {@link RequestStreamPool}, and whether it is still usable. */
final class StreamSlot {
  private final int index;
  private final RequestStreamPool pool;
  private volatile FrameStream stream;
  private volatile boolean closed;

  StreamSlot(int index, RequestStreamPool pool) {
    this.index = index;
    this.pool = pool;
  }

  int index() {
    return index;
  }

  FrameStream stream() {
    return stream;
  }

  boolean isClosed() {
    return closed;
  }

  void attach(FrameStream opened) {
    stream = opened;
  }

  void markClosed() {
    closed = true;
    pool.closed(this);
  }
}
