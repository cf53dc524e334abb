package dev.felix.transport.internal;

import dev.felix.transport.CloseReason;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.handler.codec.quic.QuicConnectionStats;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One graceful close in progress. Steps: finish every stream output (FIN after its queued frames);
 * wait until every stream is closed (or the peer closes the connection); wait until quiche has
 * stopped sending; close with NO_ERROR. A deadline closes it regardless.
 *
 * <p><b>Why the last wait.</b> quiche drops unsent and unacknowledged stream data when the
 * connection closes, and Netty closes a locally opened unidirectional stream as soon as its FIN is
 * handed to quiche, long before the bytes are on the wire when the congestion window is full.
 * Neither Netty nor quiche's C API report bytes in flight, so the transport watches quiche's
 * counter of bytes sent: once it has not moved for two quiet periods, each longer than a probe
 * timeout (3 round trips + 30 ms of acknowledgement delay, at least 200 ms), every byte was sent
 * and the final acknowledgements (or retransmissions, which would move the counter) had their
 * chance.
 *
 * <p>Owned by the connection's event loop.
 */
// Netty channel operations (close, shutdown, write) report failure through channel events, which
// this class handles; CompletableFuture.whenComplete is used for its side effect. The futures they
// return are deliberately not kept.
@SuppressWarnings("FutureReturnValueIgnored")
final class GracefulClose {
  // 30 ms lost queued frames when the machine was overloaded (both event loops starved of CPU,
  // so the counter stood still while bytes still waited for congestion window): the quiet
  // period must outlast scheduling delays, and is confirmed twice before closing.
  private static final long MIN_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final int QUIET_CHECKS = 2;
  private static final long MAX_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long ACK_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(30);

  private final QuicConnection connection;
  private final CompletableFuture<Boolean> result = new CompletableFuture<>();
  private final ScheduledFuture<?> deadline;
  private boolean settling;
  private long lastSentBytes = -1;
  private int quietChecks;
  private Boolean outcome;

  GracefulClose(QuicConnection connection, Duration bound) {
    this.connection = connection;
    this.deadline =
        connection
            .channel()
            .eventLoop()
            .schedule(() -> closeNow(false), bound.toNanos(), TimeUnit.NANOSECONDS);
    for (QuicFrameStream stream : connection.streams()) {
      if (stream.canWrite()) {
        stream.finish();
      }
    }
    onStreamClosed();
  }

  CompletableFuture<Boolean> result() {
    return result;
  }

  /** A stream closed: once none is left, wait for quiche to go quiet, then close. */
  void onStreamClosed() {
    if (settling || outcome != null || !connection.streams().isEmpty()) {
      return;
    }
    settling = true;
    checkQuiet();
  }

  /** The connection closed: our close completed, or the peer closed first. */
  void onConnectionClosed(CloseReason reason) {
    deadline.cancel(false);
    if (outcome == null) {
      // The peer closed before we did: orderly if it said NO_ERROR.
      outcome = reason.origin() == CloseReason.Origin.PEER && reason.code() == CloseReason.NO_ERROR;
    }
    result.complete(outcome);
  }

  private void checkQuiet() {
    if (outcome != null) {
      return;
    }
    connection
        .channel()
        .collectStats()
        .addListener(
            (Future<QuicConnectionStats> stats) -> {
              if (!stats.isSuccess()) {
                closeNow(true); // the connection is already gone
                return;
              }
              long sent = stats.getNow().sentBytes();
              if (sent == lastSentBytes) {
                if (++quietChecks >= QUIET_CHECKS) {
                  closeNow(true);
                  return;
                }
              } else {
                quietChecks = 0;
              }
              lastSentBytes = sent;
              scheduleNextCheck();
            });
  }

  private void scheduleNextCheck() {
    connection
        .channel()
        .collectPathStats(0)
        .addListener(
            (Future<QuicConnectionPathStats> path) -> {
              // quiche reports the round-trip time in nanoseconds.
              long rtt = path.isSuccess() ? path.getNow().rtt() : 0;
              long quiet =
                  Math.min(MAX_QUIET_NANOS, Math.max(MIN_QUIET_NANOS, 3 * rtt + ACK_DELAY_NANOS));
              connection
                  .channel()
                  .eventLoop()
                  .schedule(this::checkQuiet, quiet, TimeUnit.NANOSECONDS);
            });
  }

  private void closeNow(boolean drained) {
    if (outcome != null) {
      return;
    }
    outcome = drained;
    deadline.cancel(false);
    connection.closeNow((int) CloseReason.NO_ERROR, drained ? "closed" : "close deadline reached");
  }
}
