package dev.felix.server.session;

import dev.felix.broker.Broker;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.server.security.Action;
import dev.felix.server.security.SessionAccess;
import dev.felix.transport.FrameStream;
import dev.felix.wire.message.CursorCommit;
import dev.felix.wire.message.Ok;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CursorCommit requests of one connection: authorizes, hands the commit to the broker and answers
 * from the broker's completion (a storage lane on a durable stream), so the event loop never waits
 * for a disk force.
 *
 * <p>Threading: {@link #commit} runs on the connection's event loop, completions on storage
 * threads; the only shared state is the in-flight counter.
 */
final class CursorCommits {
  /**
   * Commits of one connection waiting for storage. A client that commits on every record without
   * waiting would otherwise queue unbounded work on the cursor lane; 256 is far more than a client
   * committing once per poll or per second ever has in flight. Past it: {@code LIMIT_EXCEEDED}.
   */
  static final int MAX_IN_FLIGHT = 256;

  private final Broker broker;
  private final Replies replies;
  private final AtomicInteger inFlight = new AtomicInteger();

  CursorCommits(Broker broker, Replies replies) {
    this.broker = broker;
    this.replies = replies;
  }

  /**
   * Commits {@code request} and answers Ok or Error on {@code control} when it completes. A request
   * the broker refuses up front (unknown stream, bad shard, offset past the end, cursor bound)
   * throws here and is answered by the caller's error path.
   */
  // The completion answers the request; nothing else waits for the returned stage.
  @SuppressWarnings("FutureReturnValueIgnored")
  void commit(FrameStream control, int requestId, CursorCommit request, SessionAccess access) {
    // Same right as reading the stream: a cursor is a reader's own bookmark.
    access.check(Action.STREAM_SUBSCRIBE, request.stream());
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      throw new LimitException(
          ErrorCode.LIMIT_EXCEEDED,
          "at most " + MAX_IN_FLIGHT + " cursor commits in flight per connection");
    }
    try {
      broker
          .commitCursor(request.stream(), request.cursor(), request.offsets())
          .whenComplete(
              (positions, failure) -> {
                inFlight.decrementAndGet();
                if (failure != null) {
                  replies.error(control, requestId, failure);
                } else {
                  replies.send(control, requestId, Ok.INSTANCE);
                }
              });
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      throw e;
    }
  }

  /** Commits waiting for storage (for tests and diagnostics). */
  int inFlight() {
    return inFlight.get();
  }
}
