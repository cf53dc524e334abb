package dev.felix.client.internal;

import dev.felix.client.CacheWatchEvent;
import dev.felix.client.CacheWatchHandle;
import dev.felix.client.CacheWatchListener;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.ProtocolException;
import dev.felix.error.UnavailableException;
import dev.felix.transport.CloseReason;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.message.CacheChange;
import dev.felix.wire.message.CacheChanges;
import dev.felix.wire.message.CacheWatch;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.Message;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache watch on a request stream of its own: sends CacheWatch as the stream's first frame,
 * turns CacheChanges frames into listener calls, and ends on an Error, on {@link #close()} (the
 * stream is finished, which the server takes as a cancel) or when the stream goes away.
 *
 * <p>Threading: frames arrive on the connection's event loop, in order; {@link #close()} from any
 * thread. The listener is called on the event loop only.
 */
final class CacheWatchStream implements StreamListener, CacheWatchHandle {
  private static final Logger LOG = LoggerFactory.getLogger(CacheWatchStream.class);

  /** Request id of the CacheWatch frame: the stream carries nothing else. */
  static final int REQUEST_ID = 1;

  private final CacheWatch request;
  private final CacheWatchListener listener;
  private final FrameCodec codec;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile FrameStream stream;
  private volatile boolean closedByUser;

  CacheWatchStream(CacheWatch request, CacheWatchListener listener, FrameCodec codec) {
    this.request = request;
    this.listener = listener;
    this.codec = codec;
  }

  /** The stream is open: sends the watch, or finishes at once when closed meanwhile. */
  void attach(FrameStream opened) {
    stream = opened;
    if (closedByUser) {
      opened.finish();
      return;
    }
    if (!opened.write(FrameCodec.encode(REQUEST_ID, request))) {
      fail(new UnavailableException(ErrorCode.UNAVAILABLE, "the watch's stream closed"));
    }
  }

  /** The stream could not be opened. */
  void openFailed(Throwable error) {
    fail(Waits.toFelix(error));
  }

  @Override
  public boolean isActive() {
    return !ended.get();
  }

  @Override
  public void close() {
    closedByUser = true;
    if (ended.compareAndSet(false, true)) {
      FrameStream current = stream;
      if (current != null) {
        current.finish();
      }
    }
  }

  @Override
  public void onFrame(FrameStream from, ByteBuffer frame) {
    if (ended.get()) {
      return;
    }
    Message message;
    try {
      message = codec.decode(frame).message();
    } catch (RuntimeException e) {
      fail(Waits.toFelix(e));
      from.reset(ErrorCode.MALFORMED_FRAME.code());
      return;
    }
    if (message instanceof CacheChanges changes) {
      deliver(changes);
    } else if (message instanceof ErrorReply error) {
      fail(error.toException());
    } else {
      fail(
          new ProtocolException(
              ErrorCode.UNEXPECTED_MESSAGE, message.type() + " on a cache watch's stream"));
    }
  }

  private void deliver(CacheChanges changes) {
    try {
      for (CacheChange change : changes.changes()) {
        CacheWatchEvent event = event(change);
        if (change.kind() == CacheChange.Kind.SNAPSHOT) {
          listener.onSnapshotEntry(event);
        } else {
          listener.onChange(event);
        }
      }
      if (changes.snapshotComplete()) {
        listener.onSnapshotComplete();
      }
    } catch (RuntimeException e) {
      // The application's bug must not break the connection's other streams.
      LOG.warn("cache watch listener failed", e);
    }
  }

  private static CacheWatchEvent event(CacheChange change) {
    Optional<Duration> ttl =
        change.ttlRemainingMs() < 0
            ? Optional.empty()
            : Optional.of(Duration.ofMillis(change.ttlRemainingMs()));
    return new CacheWatchEvent(
        CacheWatchEvent.Kind.valueOf(change.kind().name()),
        change.key().toArray(),
        change.version(),
        ttl,
        change.value().toArray());
  }

  @Override
  public void onProtocolError(FrameStream from, ProtocolException error) {
    fail(error);
  }

  @Override
  public void onInputFinished(FrameStream from) {
    fail(new UnavailableException(ErrorCode.UNAVAILABLE, "the server ended the watch"));
    from.finish();
  }

  @Override
  public void onClosed(FrameStream from, CloseReason reason) {
    fail(new UnavailableException(ErrorCode.UNAVAILABLE, "the watch's stream closed: " + reason));
  }

  private void fail(FelixException error) {
    if (!ended.compareAndSet(false, true) || closedByUser) {
      return;
    }
    try {
      listener.onError(error);
    } catch (RuntimeException e) {
      LOG.warn("cache watch listener failed", e);
    }
  }
}
