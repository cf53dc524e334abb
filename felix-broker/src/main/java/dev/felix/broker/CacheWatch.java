package dev.felix.broker;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.storage.cache.CacheWatcher;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.CacheChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One watch of a cache key prefix: the snapshot, then every later change, with no gap and no
 * duplicate, to a {@link Sink} (the server's proxy writing CacheChanges frames).
 *
 * <h2>No gap, no duplicate</h2>
 *
 * The watch is registered with the store <em>before</em> the snapshot is read, so every change made
 * after registration reaches it; the snapshot is read without locking, so some of those changes are
 * already in it. While the snapshot is being sent, changes are buffered; afterwards each buffered
 * change is checked against what the client holds (its snapshot plus the changes passed so far, key
 * by key): a PUT is passed only when its version is newer than the client's entry, a removal only
 * when it removes exactly the version the client holds. Since the store emits a key's changes in
 * version order inside the key's atomic update, this drops exactly the changes the snapshot already
 * reflects. Changes made after the snapshot was read are all newer, so from then on they pass
 * unchecked.
 *
 * <h2>Bound</h2>
 *
 * While the snapshot is sent, or while the sink is not writable (the client reads slowly), changes
 * wait in a buffer of {@link CacheWatchConfig#bufferChanges()}; one more ends the watch with {@code
 * SLOW_CONSUMER}: writers are never held back and memory never grows without bound. The client
 * re-watches to get a fresh snapshot.
 *
 * <p>Threading: {@link #onChange} runs on writers' threads inside a key's update, {@link #writable}
 * on the sink's thread; this object's monitor guards the state and orders the sends.
 */
public final class CacheWatch implements CacheWatcher {
  /** Where a watch's output goes. Calls come under the watch's lock, in order; none may block. */
  public interface Sink {
    /** Sends changes; {@code snapshotComplete} marks the end of the snapshot. */
    void send(List<CacheChange> changes, boolean snapshotComplete);

    /** False while the client is not reading (the send queue is above its mark). */
    boolean writable();

    /** The watch ended for {@code reason}; nothing is sent after it. */
    void ended(FelixException reason);
  }

  private enum State {
    SNAPSHOT,
    LIVE,
    ENDED
  }

  /** Changes per CacheChanges frame, so one frame stays well below the frame limit. */
  static final int CHANGES_PER_FRAME = 256;

  /** Bytes of values per CacheChanges frame before the next frame starts. */
  static final int BYTES_PER_FRAME = 256 * 1024;

  private final Bytes prefix;
  private final Sink sink;
  private final int bufferChanges;
  private final java.util.function.Consumer<FelixException> onEnd;
  private final ArrayDeque<CacheChange> buffered = new ArrayDeque<>();
  private State state = State.SNAPSHOT;

  CacheWatch(
      Bytes prefix,
      Sink sink,
      int bufferChanges,
      java.util.function.Consumer<FelixException> onEnd) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.bufferChanges = bufferChanges;
    this.onEnd = onEnd;
  }

  @Override
  public Bytes prefix() {
    return prefix;
  }

  @Override
  public synchronized void onChange(CacheChange change) {
    if (state == State.ENDED) {
      return;
    }
    boolean live = state == State.LIVE && sink.writable();
    if (live && buffered.isEmpty()) {
      sink.send(List.of(change), false);
      return;
    }
    if (buffered.size() >= bufferChanges) {
      endLocked(
          new LimitException(
              ErrorCode.SLOW_CONSUMER,
              "the watch fell "
                  + bufferChanges
                  + " changes behind (the client did not read them); watch again"));
      return;
    }
    buffered.addLast(change);
    if (live) {
      flushLocked();
    }
  }

  /**
   * Sends the snapshot (already read, after registration), its end marker, and the buffered changes
   * the snapshot does not already hold; then passes changes as they come.
   */
  void start(List<CacheChange> snapshot) {
    Map<Bytes, Long> held = new HashMap<>(snapshot.size() * 2);
    for (CacheChange entry : snapshot) {
      held.put(entry.key(), entry.version());
    }
    // The snapshot may be large: sent outside the lock, so writers only buffer meanwhile.
    sendInFrames(snapshot, true);
    synchronized (this) {
      if (state == State.ENDED) {
        return;
      }
      ArrayDeque<CacheChange> pending = new ArrayDeque<>(buffered);
      buffered.clear();
      for (CacheChange change : pending) {
        Long version = held.get(change.key());
        if (change.kind().isRemoval()) {
          if (version != null && version == change.version()) {
            held.remove(change.key());
            buffered.addLast(change);
          }
        } else if (version == null || version < change.version()) {
          held.put(change.key(), change.version());
          buffered.addLast(change);
        }
      }
      state = State.LIVE;
      flushLocked();
    }
  }

  /** The sink became writable again: sends what waited. */
  public synchronized void writable() {
    if (state == State.LIVE) {
      flushLocked();
    }
  }

  /** Ends the watch (client cancel, connection closed, cache dropped): nothing more is sent. */
  public synchronized void end(FelixException reason) {
    endLocked(reason);
  }

  public synchronized boolean ended() {
    return state == State.ENDED;
  }

  private void endLocked(FelixException reason) {
    if (state == State.ENDED) {
      return;
    }
    state = State.ENDED;
    buffered.clear();
    onEnd.accept(reason);
    sink.ended(reason);
  }

  private void flushLocked() {
    while (!buffered.isEmpty() && sink.writable()) {
      List<CacheChange> frame = new ArrayList<>();
      long bytes = 0;
      while (!buffered.isEmpty() && frame.size() < CHANGES_PER_FRAME && bytes < BYTES_PER_FRAME) {
        CacheChange next = buffered.pollFirst();
        frame.add(next);
        bytes += next.key().length() + next.value().length();
      }
      sink.send(frame, false);
    }
  }

  private void sendInFrames(List<CacheChange> changes, boolean markLast) {
    List<CacheChange> frame = new ArrayList<>();
    long bytes = 0;
    for (CacheChange change : changes) {
      if (frame.size() == CHANGES_PER_FRAME || bytes >= BYTES_PER_FRAME) {
        sendUnlessEnded(frame, false);
        frame = new ArrayList<>();
        bytes = 0;
      }
      frame.add(change);
      bytes += change.key().length() + change.value().length();
    }
    sendUnlessEnded(frame, markLast);
  }

  private synchronized void sendUnlessEnded(List<CacheChange> frame, boolean snapshotComplete) {
    if (state != State.ENDED) {
      sink.send(frame, snapshotComplete);
    }
  }
}
