package dev.felix.client.internal;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.UnavailableException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests of one connection that wait for an answer, by request id. Ids are non-zero (0 means
 * "unsolicited") and unique among waiting requests (protocol section 1.5).
 *
 * <p><b>Threads:</b> thread-safe. Whoever {@link #claim claims} a request (the event loop with the
 * answer, the scheduler on timeout, the closing connection) completes it; the others find nothing.
 */
final class RequestTable {
  private final ConcurrentHashMap<Integer, PendingRequest> pending = new ConcurrentHashMap<>();
  private final AtomicInteger lastId = new AtomicInteger();
  private volatile Runnable onEmpty;

  /** Registers {@code request} under a fresh id and returns the id. */
  int register(PendingRequest request) {
    while (true) {
      int id = nextId();
      if (pending.putIfAbsent(id, request) == null) {
        request.onRegistered(id);
        return id;
      }
    }
  }

  /**
   * A fresh id that is not registered, for frames whose success gets no answer (ack NONE), so that
   * a later Error still names them uniquely.
   */
  int nextId() {
    int id;
    do {
      // 1..2^31-1, wrapping: the ids are opaque, and the wire's u32 rule is kept (section 11.2).
      id = lastId.incrementAndGet() & Integer.MAX_VALUE;
    } while (id == 0 || pending.containsKey(id));
    return id;
  }

  /** Removes and returns the request with this id, or null when none waits (any more). */
  PendingRequest claim(int requestId) {
    PendingRequest request = pending.remove(requestId);
    if (request != null) {
      checkEmpty();
    }
    return request;
  }

  /** Requests waiting. */
  int size() {
    return pending.size();
  }

  /** Fails every request whose deadline passed with {@code TIMEOUT}. */
  void sweep(long nowNanos, long timeoutNanos) {
    for (Map.Entry<Integer, PendingRequest> entry : pending.entrySet()) {
      PendingRequest request = entry.getValue();
      if (nowNanos - request.deadlineNanos() > 0 && pending.remove(entry.getKey(), request)) {
        request.onFailure(
            new UnavailableException(
                ErrorCode.TIMEOUT,
                request.describe()
                    + ": no answer within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                    + " ms"));
        checkEmpty();
      }
    }
  }

  /** Fails every waiting request with {@code error}. */
  void failAll(FelixException error) {
    for (Integer id : pending.keySet()) {
      PendingRequest request = pending.remove(id);
      if (request != null) {
        request.onFailure(error);
      }
    }
    checkEmpty();
  }

  /** Runs {@code action} once no request waits (now, if none does). Used to drain on GoAway. */
  void onEmpty(Runnable action) {
    onEmpty = action;
    checkEmpty();
  }

  private void checkEmpty() {
    Runnable action = onEmpty;
    if (action != null && pending.isEmpty()) {
      onEmpty = null;
      action.run();
    }
  }
}
