package dev.felix.client.internal;

import dev.felix.transport.TransportConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The request streams of one connection: a fixed number of slots, each opened on first use and
 * reopened after its stream closed or failed to open. Calls are spread round robin, so many calls
 * are in flight on every stream at once (the server answers each stream in order, so a large value
 * delays only the calls behind it on its own stream).
 *
 * <p>Threads: lock-free; two callers racing to open the same slot both get the winner's stream.
 */
final class RequestStreamPool {
  private final TransportConnection connection;
  private final Session session;
  private final AtomicReferenceArray<CompletableFuture<StreamSlot>> slots;
  private final AtomicInteger next = new AtomicInteger();

  RequestStreamPool(TransportConnection connection, Session session, int size) {
    this.connection = connection;
    this.session = session;
    this.slots = new AtomicReferenceArray<>(size);
  }

  /** The stream for the next call, opening it when needed. */
  CompletableFuture<StreamSlot> pick() {
    int index = (next.getAndIncrement() & Integer.MAX_VALUE) % slots.length();
    while (true) {
      CompletableFuture<StreamSlot> current = slots.get(index);
      if (current != null && !isBroken(current)) {
        return current;
      }
      CompletableFuture<StreamSlot> opening = new CompletableFuture<>();
      if (slots.compareAndSet(index, current, opening)) {
        open(index, opening);
        return opening;
      }
    }
  }

  private void open(int index, CompletableFuture<StreamSlot> opening) {
    StreamSlot slot = new StreamSlot(index, this);
    var unused =
        connection
            .openRequestStream(new RequestStreamListener(session, slot))
            .whenComplete(
                (stream, error) -> {
                  if (error != null) {
                    opening.completeExceptionally(error);
                  } else {
                    slot.attach(stream);
                    opening.complete(slot);
                  }
                });
  }

  /** The slot's stream closed: the next call on it opens a new one. */
  void closed(StreamSlot slot) {
    CompletableFuture<StreamSlot> current = slots.get(slot.index());
    if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
      if (current.join() == slot) {
        slots.compareAndSet(slot.index(), current, null);
      }
    }
  }

  private static boolean isBroken(CompletableFuture<StreamSlot> future) {
    return future.isCompletedExceptionally() || (future.isDone() && future.join().isClosed());
  }
}
