package dev.felix.client;

/** An open cache watch; {@link #close()} cancels it (the broker stops sending). */
public interface CacheWatchHandle extends AutoCloseable {
  /** True until the watch is closed or ended with an error. */
  boolean isActive();

  @Override
  void close();
}
