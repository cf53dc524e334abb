package dev.felix.broker.core;

import dev.felix.broker.CursorInfo;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Names;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named subscription cursors: per (stream, cursor name, shard) the committed position, the next
 * offset a subscription naming the cursor starts from. Unlike a consumer group, every cursor sees
 * every record (fan-out); it only remembers how far its application got.
 *
 * <ul>
 *   <li>A cursor is created by its first commit, at most {@code maxCursors} per broker ({@code
 *       LIMIT_EXCEEDED} past it).
 *   <li>A commit never moves a position backwards (a lower offset is ignored, the stored one is
 *       answered); only {@link #delete} resets a cursor. A commit past a shard's end is refused
 *       with {@code OFFSET_OUT_OF_RANGE} and changes nothing.
 *   <li>Durable streams' positions go to a {@link CursorStore} (the commit completes once they are
 *       on disk); memory streams' positions live in memory and are lost with a restart, as their
 *       records are.
 * </ul>
 *
 * <p>Threading: thread-safe. Each cursor's positions are updated under the cursor's own monitor, so
 * two commits of one cursor apply in some order and neither moves it backwards; creation is
 * serialised on the registry so the bound holds.
 */
public final class CursorRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CursorRegistry.class);

  /** The cursor store's lane carries zero-byte flush tasks only, at most one queued. */
  private static final long LANE_QUEUED_BYTES = 1;

  record Key(StreamRef stream, String name) {}

  private static final class Cursor {
    final TreeMap<Integer, Long> positions = new TreeMap<>();
    final boolean durable;

    /** Set (under the monitor) when deleted, so a racing commit re-creates instead of reviving. */
    boolean deleted;

    Cursor(boolean durable) {
      this.durable = durable;
    }
  }

  private final StreamRegistry streams;
  private final CursorStore store;
  private final int maxCursors;
  private final BrokerCounters counters;
  private final ConcurrentHashMap<Key, Cursor> cursors = new ConcurrentHashMap<>();

  /** The broker's cursors: stored under its data directory when it has one. */
  public static CursorRegistry open(BrokerContext context, StreamRegistry streams) {
    CursorStore store =
        context
            .config()
            .dataDir()
            .map(dir -> CursorStore.open(dir, context.storage().newLane(LANE_QUEUED_BYTES)))
            .orElse(null);
    return new CursorRegistry(streams, store, context.config().maxCursors(), context.counters());
  }

  /**
   * @param store where durable streams' positions go; null without a data directory
   */
  CursorRegistry(
      StreamRegistry streams, CursorStore store, int maxCursors, BrokerCounters counters) {
    this.streams = streams;
    this.store = store;
    this.maxCursors = maxCursors;
    this.counters = counters;
    if (store != null) {
      load(store.snapshot());
    }
  }

  private void load(Map<String, Long> stored) {
    for (Map.Entry<String, Long> entry : stored.entrySet()) {
      String[] parts = entry.getKey().split("/", -1);
      Key key;
      int shard;
      try {
        if (parts.length != 5) {
          throw new IllegalArgumentException("not 5 parts");
        }
        key = new Key(new StreamRef(parts[0], parts[1], parts[2]), checkName(parts[3]));
        shard = Integer.parseInt(parts[4]);
      } catch (RuntimeException e) {
        // The file is CRC-checked, so this is a key some other version wrote: keep starting.
        LOG.warn("ignoring unreadable cursor position key '{}': {}", entry.getKey(), e.toString());
        continue;
      }
      cursors.computeIfAbsent(key, k -> new Cursor(true)).positions.put(shard, entry.getValue());
    }
    counters.cursors.set(cursors.size());
  }

  static String storeKey(Key key, int shard) {
    StreamRef ref = key.stream();
    return ref.tenant()
        + "/"
        + ref.namespace()
        + "/"
        + ref.stream()
        + "/"
        + key.name()
        + "/"
        + shard;
  }

  /**
   * Checks a cursor name: the wire's name rules ({@link Names}: 1 to 128 of {@code [A-Za-z0-9._-]},
   * not {@code .} or {@code ..}), so it fits a store key and a URL path segment unescaped.
   *
   * @throws ProtocolException {@code INVALID_ARGUMENT} otherwise
   */
  public static String checkName(String name) {
    return Names.require("cursor", name);
  }

  /** The stored position of {@code shard}, if the cursor has one. */
  Optional<Long> position(StreamRef stream, String name, int shard) {
    Cursor cursor = cursors.get(new Key(stream, name));
    if (cursor == null) {
      return Optional.empty();
    }
    synchronized (cursor) {
      return Optional.ofNullable(cursor.positions.get(shard));
    }
  }

  /**
   * Commits positions (the next offset to deliver, per shard) of a cursor of an existing stream.
   * The stage completes with the cursor's positions after the commit once they are as safe as the
   * stream keeps them (on disk for a durable stream).
   *
   * @throws NotFoundException {@code NOT_FOUND} (no such stream) or {@code OFFSET_OUT_OF_RANGE} (an
   *     offset past its shard's end)
   * @throws ProtocolException {@code INVALID_ARGUMENT}: bad name, no such shard, negative offset, a
   *     shard twice, no offsets
   * @throws LimitException {@code LIMIT_EXCEEDED}: a new cursor past {@code maxCursors}
   */
  public CompletionStage<List<ShardOffset>> commit(
      StreamRef ref, String name, List<ShardOffset> offsets) {
    checkName(name);
    Stream stream = streams.find(ref);
    if (stream == null) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no stream " + ref);
    }
    checkOffsets(stream, offsets);
    Key key = new Key(ref, name);
    List<ShardOffset> after = new ArrayList<>();
    List<CompletionStage<Void>> writes = new ArrayList<>();
    while (!commitTo(key, stream, offsets, after, writes)) {
      // the cursor was deleted between lookup and lock: commit to a fresh one
    }
    counters.cursorCommits.increment();
    return CompletableFuture.allOf(
            writes.stream()
                .map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new))
        .thenApply(done -> after);
  }

  /** False when the cursor found was deleted before its monitor was taken (nothing done). */
  private boolean commitTo(
      Key key,
      Stream stream,
      List<ShardOffset> offsets,
      List<ShardOffset> after,
      List<CompletionStage<Void>> writes) {
    Cursor cursor = cursors.get(key);
    if (cursor == null) {
      cursor = create(key, stream.config().durable());
    }
    synchronized (cursor) {
      if (cursor.deleted) {
        return false;
      }
      for (ShardOffset offset : offsets) {
        Long stored = cursor.positions.get(offset.shard());
        if (stored == null || offset.offset() > stored) {
          cursor.positions.put(offset.shard(), offset.offset());
          if (cursor.durable && store != null) {
            writes.add(store.put(storeKey(key, offset.shard()), offset.offset()));
          }
        }
      }
      cursor.positions.forEach((shard, position) -> after.add(new ShardOffset(shard, position)));
    }
    return true;
  }

  private static void checkOffsets(Stream stream, List<ShardOffset> offsets) {
    if (offsets.isEmpty()) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "a commit needs at least one offset");
    }
    boolean[] seen = new boolean[stream.shardCount()];
    for (ShardOffset offset : offsets) {
      int shard = offset.shard();
      if (shard < 0 || shard >= seen.length || seen[shard]) {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT,
            "shard " + shard + " does not exist or is committed twice in " + stream.ref());
      }
      seen[shard] = true;
      long end = stream.shard(shard).endOffset();
      if (offset.offset() > end) {
        throw new NotFoundException(
            ErrorCode.OFFSET_OUT_OF_RANGE,
            "cannot commit offset "
                + offset.offset()
                + " of "
                + stream.ref()
                + " shard "
                + shard
                + ": the shard ends at "
                + end);
      }
    }
  }

  private synchronized Cursor create(Key key, boolean durable) {
    Cursor existing = cursors.get(key);
    if (existing != null) {
      return existing;
    }
    if (cursors.size() >= maxCursors) {
      throw new LimitException(
          ErrorCode.LIMIT_EXCEEDED,
          "the broker holds its maximum of " + maxCursors + " named cursors");
    }
    Cursor cursor = new Cursor(durable);
    cursors.put(key, cursor);
    counters.cursors.set(cursors.size());
    return cursor;
  }

  /** Resets (forgets) a cursor; false when it does not exist. */
  public boolean delete(StreamRef ref, String name) {
    Key key = new Key(ref, name);
    Cursor cursor;
    synchronized (this) {
      cursor = cursors.remove(key);
      counters.cursors.set(cursors.size());
    }
    if (cursor == null) {
      return false;
    }
    synchronized (cursor) {
      cursor.deleted = true;
      if (cursor.durable && store != null) {
        for (int shard : cursor.positions.keySet()) {
          var unused = store.remove(storeKey(key, shard));
        }
      }
      cursor.positions.clear();
    }
    return true;
  }

  /** Forgets every cursor of a deleted stream. */
  public void removeStream(StreamRef ref) {
    for (Key key : List.copyOf(cursors.keySet())) {
      if (key.stream().equals(ref)) {
        delete(ref, key.name());
      }
    }
  }

  /** The cursors of {@code ref} with positions and lag (a snapshot), by name. */
  public List<CursorInfo> list(StreamRef ref) {
    Stream stream = streams.find(ref);
    List<CursorInfo> infos = new ArrayList<>();
    for (Map.Entry<Key, Cursor> entry : cursors.entrySet()) {
      if (!entry.getKey().stream().equals(ref)) {
        continue;
      }
      Cursor cursor = entry.getValue();
      List<CursorInfo.Shard> shards = new ArrayList<>();
      synchronized (cursor) {
        cursor.positions.forEach(
            (shard, position) -> {
              long end =
                  stream != null && shard < stream.shardCount()
                      ? stream.shard(shard).endOffset()
                      : position;
              shards.add(new CursorInfo.Shard(shard, position, Math.max(0, end - position)));
            });
      }
      infos.add(new CursorInfo(ref, entry.getKey().name(), cursor.durable, shards));
    }
    infos.sort((a, b) -> a.name().compareTo(b.name()));
    return infos;
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }
}
