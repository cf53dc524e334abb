package dev.felix.server.session;

import dev.felix.broker.CacheWatch;
import dev.felix.error.FelixException;
import dev.felix.transport.FrameStream;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.message.CacheChange;
import dev.felix.wire.message.CacheChanges;
import java.util.List;

/**
 * Writes one watch's output to its stream: CacheChanges frames with the watch's request id, and at
 * the end an Error (unless the client cancelled) and the end of the stream.
 *
 * <p>Threading: called under the watch's lock from writers' threads and the event loop; {@link
 * FrameStream} writes are thread-safe and never block.
 */
final class CacheWatchProxy implements CacheWatch.Sink {
  private final FrameStream stream;
  private final int requestId;
  private final Replies replies;
  private final CacheMetrics metrics;
  private final Runnable onEnded;
  private volatile boolean cancelled;

  CacheWatchProxy(
      FrameStream stream, int requestId, Replies replies, CacheMetrics metrics, Runnable onEnded) {
    this.stream = stream;
    this.requestId = requestId;
    this.replies = replies;
    this.metrics = metrics;
    this.onEnded = onEnded;
  }

  /** The client finished its side: end without an Error. */
  void cancelled() {
    cancelled = true;
  }

  @Override
  public void send(List<CacheChange> changes, boolean snapshotComplete) {
    stream.write(FrameCodec.encode(requestId, new CacheChanges(snapshotComplete, changes)));
    metrics.watchChangesSent(changes.size());
  }

  @Override
  public boolean writable() {
    return stream.isWritable();
  }

  @Override
  public void ended(FelixException reason) {
    if (!cancelled) {
      replies.error(stream, requestId, reason);
    }
    stream.finish();
    onEnded.run();
  }
}
