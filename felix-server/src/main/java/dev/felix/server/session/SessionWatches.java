package dev.felix.server.session;

import dev.felix.broker.CacheWatch;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cache watches of one connection, bounded by {@code maxWatches}; all ended when the connection
 * closes.
 *
 * <p>Threading: this object's monitor.
 */
final class SessionWatches {
  private final int maxWatches;
  private final Set<CacheWatch> watches = new HashSet<>();
  private int reserved;
  private boolean closed;

  SessionWatches(int maxWatches) {
    this.maxWatches = maxWatches;
  }

  /**
   * Takes a place for a new watch.
   *
   * @throws LimitException {@code LIMIT_EXCEEDED} when the connection holds its maximum
   */
  synchronized void reserve() {
    if (closed) {
      throw new FelixException(ErrorCode.UNAVAILABLE, "the connection is closing");
    }
    if (reserved >= maxWatches) {
      throw new LimitException(
          ErrorCode.LIMIT_EXCEEDED, "a connection holds at most " + maxWatches + " cache watches");
    }
    reserved++;
  }

  /** The reserved place now holds {@code watch}; false when the connection closed meanwhile. */
  synchronized boolean attach(CacheWatch watch) {
    if (closed) {
      return false;
    }
    watches.add(watch);
    return true;
  }

  /** Gives a place back (the watch ended, or never started). */
  synchronized void release(CacheWatch watch) {
    if (watch != null) {
      watches.remove(watch);
    }
    reserved = Math.max(0, reserved - 1);
  }

  /** Ends every watch: the connection is gone. */
  void closeAll() {
    List<CacheWatch> open;
    synchronized (this) {
      closed = true;
      open = new ArrayList<>(watches);
      watches.clear();
    }
    for (CacheWatch watch : open) {
      watch.end(new FelixException(ErrorCode.UNAVAILABLE, "the connection closed"));
    }
  }
}
