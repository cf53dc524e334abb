package dev.felix.server.http;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The lifecycle state behind {@code /ready}: ready only between the end of start-up (recovery
 * included) and the start of draining. Thread-safe; written by the server's lifecycle thread, read
 * by HTTP handler threads.
 */
public final class Readiness {
  /** Lifecycle states in order; a server never goes back. */
  public enum State {
    STARTING,
    READY,
    DRAINING,
    STOPPED
  }

  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

  public State state() {
    return state.get();
  }

  public boolean isReady() {
    return state.get() == State.READY;
  }

  /** Moves forward to {@code next}; moving backwards is ignored (a drain is never undone). */
  public void advanceTo(State next) {
    state.getAndUpdate(current -> next.compareTo(current) > 0 ? next : current);
  }
}
