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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache watch on a request stream of its own: sends CacheWatch as the stream's first frame,
 * turns CacheChanges frames into listener calls, and ends on an Error, on {@link #close()} (the
 * stream is finished, which the server takes as a cancel) or when the stream goes away.
 *
 * <p>Threading: frames arrive on the connection's event loop, in order, and are handed to the
 * client's callback thread, where the listener runs (one call at a time, in order; no application
 * code runs on the event loop). Bounded: while more than {@link #PAUSE_EVENTS} events or {@link
 * #PAUSE_BYTES} bytes wait for the listener, the stream is not read, so QUIC flow control holds the
 * broker back, and a listener that stays behind gets the broker's {@code SLOW_CONSUMER}. {@link
 * #close()} may be called from any thread.
 */
final class CacheWatchStream implements StreamListener, CacheWatchHandle {
  private static final Logger LOG = LoggerFactory.getLogger(CacheWatchStream.class);

  /** Request id of the CacheWatch frame: the stream carries nothing else. */
  static final int REQUEST_ID = 1;

  /** Events waiting for the listener above which the stream is not read. */
  static final int PAUSE_EVENTS = 10_000;

  /** Bytes (keys and values) waiting for the listener above which the stream is not read. */
  static final long PAUSE_BYTES = 4L * 1024 * 1024;

  private final CacheWatch request;
  private final CacheWatchListener listener;
  private final FrameCodec codec;
  private final Callbacks callbacks;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicInteger pendingEvents = new AtomicInteger();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicBoolean paused = new AtomicBoolean();
  private volatile FrameStream stream;
  private volatile boolean closedByUser;

  CacheWatchStream(
      CacheWatch request, CacheWatchListener listener, FrameCodec codec, Callbacks callbacks) {
    this.request = request;
    this.listener = listener;
    this.codec = codec;
    this.callbacks = callbacks;
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
    // (ended is set on the callback thread; a frame arriving after it is dropped there.)
    Message message;
    try {
      message = codec.decode(frame).message();
    } catch (RuntimeException e) {
      fail(Waits.toFelix(e));
      from.reset(ErrorCode.MALFORMED_FRAME.code());
      return;
    }
    if (message instanceof CacheChanges changes) {
      queue(from, changes);
    } else if (message instanceof ErrorReply error) {
      fail(error.toException());
    } else {
      fail(
          new ProtocolException(
              ErrorCode.UNEXPECTED_MESSAGE, message.type() + " on a cache watch's stream"));
    }
  }

  /** Hands a frame to the callback thread, pausing the stream while too much waits. */
  private void queue(FrameStream from, CacheChanges changes) {
    int events = changes.changes().size() + 1;
    long bytes = 0;
    for (CacheChange change : changes.changes()) {
      bytes += change.key().length() + change.value().length();
    }
    long waitingBytes = pendingBytes.addAndGet(bytes);
    if ((pendingEvents.addAndGet(events) > PAUSE_EVENTS || waitingBytes > PAUSE_BYTES)
        && paused.compareAndSet(false, true)) {
      from.pauseReading();
    }
    long frameBytes = bytes;
    callbacks.run(
        () -> {
          if (!ended.get()) {
            deliver(changes);
          }
          long left = pendingBytes.addAndGet(-frameBytes);
          if (pendingEvents.addAndGet(-events) <= PAUSE_EVENTS / 2
              && left <= PAUSE_BYTES / 2
              && paused.compareAndSet(true, false)) {
            from.resumeReading();
          }
        });
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

  /** Ends the watch with {@code error}, reported after the events already queued. */
  private void fail(FelixException error) {
    callbacks.run(
        () -> {
          if (!ended.compareAndSet(false, true) || closedByUser) {
            return;
          }
          FrameStream current = stream;
          if (current != null) {
            current.finish(); // the watch is over: release the stream on both sides
          }
          try {
            listener.onError(error);
          } catch (RuntimeException e) {
            LOG.warn("cache watch listener failed", e);
          }
        });
  }
}
