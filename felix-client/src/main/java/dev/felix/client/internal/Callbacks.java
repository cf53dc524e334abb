package dev.felix.client.internal;

import dev.felix.client.ClientListener;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ClientListener} methods and {@code publishAsync} completions on the client's callback
 * thread, in submission order. A listener that throws is logged, never propagated: one faulty
 * callback must not stop the others.
 */
final class Callbacks {
  private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);

  private final ClientListener listener;
  private final ExecutorService executor;

  Callbacks(ClientListener listener, ExecutorService executor) {
    this.listener = listener;
    this.executor = executor;
  }

  /** Calls the listener on the callback thread; dropped once the client's threads are gone. */
  void notify(Consumer<ClientListener> call) {
    try {
      executor.execute(() -> invoke(call));
    } catch (RejectedExecutionException e) {
      LOG.debug("listener event after close dropped");
    }
  }

  /** Runs {@code task} on the callback thread, in order; dropped once the threads are gone. */
  void run(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("callback after close dropped");
    }
  }

  /**
   * Runs a completion on the callback thread; inline once that thread is gone, so that no future is
   * left incomplete.
   */
  void complete(Runnable completion) {
    try {
      executor.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  private void invoke(Consumer<ClientListener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      LOG.warn("ClientListener threw; ignored", e);
    }
  }
}
