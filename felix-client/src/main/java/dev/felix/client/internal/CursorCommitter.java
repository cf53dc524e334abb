package dev.felix.client.internal;

import dev.felix.client.ReceivedRecord;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.ProtocolException;
import dev.felix.error.UnavailableException;
import dev.felix.wire.Capabilities;
import dev.felix.wire.MessageType;
import dev.felix.wire.message.CursorCommit;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

/**
 * The named cursor of one subscription: what the application has taken (per shard, the offset after
 * the last record taken) and sending it as CursorCommit, on demand or every auto-commit interval.
 *
 * <p>Why "taken" rather than "received": a record in the receive buffer was not processed yet, so
 * committing it would skip it after a restart. A listener's record counts once the listener
 * returned.
 *
 * <p><b>Threads:</b> {@code this} guards the positions and versions; taken() runs on the
 * application or dispatcher thread, auto-commits on the scheduler, completions on the event loop.
 * The map holds one entry per shard of the stream, so it is bounded by the shard count.
 */
final class CursorCommitter {
  private final StreamRef stream;
  private final String cursor;
  private final ClientContext context;
  private final Supplier<Session> sessions;
  private final Map<Integer, Long> taken = new TreeMap<>();

  /** Bumped on every advance of {@code taken}. */
  private long version;

  /** The newest version the broker confirmed: equal to {@code version} means nothing to commit. */
  private long committedVersion;

  private CompletableFuture<Void> inFlight;
  private ScheduledFuture<?> autoCommit;

  CursorCommitter(
      StreamRef stream, String cursor, ClientContext context, Supplier<Session> sessions) {
    this.stream = stream;
    this.cursor = cursor;
    this.context = context;
    this.sessions = sessions;
  }

  String cursor() {
    return cursor;
  }

  /** The application took {@code record}: the cursor may move past it. */
  synchronized void taken(ReceivedRecord record) {
    long next = record.offset() + 1;
    Long before = taken.get(record.shard());
    if (before == null || next > before) {
      taken.put(record.shard(), next);
      version++;
    }
  }

  /** Starts committing every {@code periodNanos} when something changed (scheduler thread). */
  synchronized void startAutoCommit(long periodNanos) {
    autoCommit =
        context
            .threads()
            .every(
                () -> {
                  if (changedAndIdle()) {
                    var unused = commitAsync().whenComplete((ok, failure) -> report(failure));
                  }
                },
                periodNanos);
  }

  private synchronized boolean changedAndIdle() {
    return version != committedVersion && (inFlight == null || inFlight.isDone());
  }

  /** Stops auto-commit and sends a last commit when there is progress to store; else null. */
  CompletableFuture<Void> stop() {
    synchronized (this) {
      cancelAutoCommit();
      if (version == committedVersion) {
        return null;
      }
    }
    return commitAsync();
  }

  /** Stops auto-commit without a last commit (the broker ended the subscription). */
  synchronized void cancelAutoCommit() {
    if (autoCommit != null) {
      autoCommit.cancel(false);
      autoCommit = null;
    }
  }

  /** Commits what was taken so far; completes at once when there is nothing new. */
  CompletableFuture<Void> commitAsync() {
    List<ShardOffset> offsets;
    long sending;
    synchronized (this) {
      if (version == committedVersion) {
        return CompletableFuture.completedFuture(null);
      }
      offsets = new ArrayList<>(taken.size());
      taken.forEach((shard, next) -> offsets.add(new ShardOffset(shard, next)));
      sending = version;
    }
    Session session = sessions.get();
    if (session == null) {
      return CompletableFuture.failedFuture(
          new UnavailableException(
              ErrorCode.UNAVAILABLE, "no connection to commit cursor " + cursor + " of " + stream));
    }
    if (!grantsCursors(session)) {
      return CompletableFuture.failedFuture(
          new ProtocolException(
              ErrorCode.UNSUPPORTED_FEATURE,
              "the broker did not grant named cursors (capability DURABLE_CURSORS)"));
    }
    SimpleRequest request =
        new SimpleRequest(
            "CursorCommit " + cursor + " of " + stream, MessageType.OK, session.deadline());
    session.send(new CursorCommit(stream, cursor, offsets), request, true);
    CompletableFuture<Void> result =
        request
            .result()
            .thenAccept(
                ok -> {
                  synchronized (this) {
                    committedVersion = Math.max(committedVersion, sending);
                  }
                });
    synchronized (this) {
      inFlight = result;
    }
    return result;
  }

  private void report(Throwable failure) {
    if (failure != null) {
      FelixException error =
          failure.getCause() instanceof FelixException f
              ? f
              : failure instanceof FelixException f2
                  ? f2
                  : new UnavailableException(ErrorCode.UNAVAILABLE, failure.toString());
      context.callbacks().notify(l -> l.onError(error));
    }
  }

  private static boolean grantsCursors(Session session) {
    var info = session.serverInfo();
    return info != null && Capabilities.has(info.capabilities(), Capabilities.DURABLE_CURSORS);
  }
}
