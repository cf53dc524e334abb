package dev.felix.broker.time;

/** A scheduled task that can be called off. */
@FunctionalInterface
public interface Cancellable {
  /** Cancels the task if it has not started; harmless when it has run. */
  void cancel();
}
