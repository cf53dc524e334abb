package dev.felix.broker.core;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is on disk for consumer groups: per group shard the committed position, the first offset
 * never leased, and the offsets done above the committed one; per group its counters. Built from
 * the position snapshot, then kept current by applying the same changes that go to the {@link
 * AckJournal}, so a compaction writes it out as the next snapshot.
 *
 * <p>Snapshot keys ({@code PositionStore}): {@code <shardKey>} committed, {@code <shardKey>#next}
 * next, {@code <shardKey>/done/<start>} length of a run of done offsets, {@code
 * <groupKey>#counters/<i>} counter i. Names never contain {@code #}, so the keys cannot collide.
 *
 * <p>Bounds: one entry per group shard the broker holds; done offsets of a shard lie in its ack
 * window (a DONE further than {@link #MAX_SPAN} above the committed position is ignored: it cannot
 * come from a window, only from a damaged file).
 *
 * <p>Threading: none; owned by {@link GroupPositions} under its I/O lock.
 */
final class PositionView {
  static final String NEXT = "#next";
  static final String RUNS = "/done/";
  static final String COUNTERS = "#counters/";
  static final String GENERATION = "#journal-generation";

  /** Far beyond any ack window ({@code queues.max_unacked_per_shard}). */
  private static final long MAX_SPAN = 1L << 24;

  /** Offsets rebased once the committed position is this far above the bitmap's base. */
  private static final long REBASE = 4096;

  /** A shard's stored state, as handed to a group created after a restart. */
  record Restored(long committed, long next, List<long[]> runs) {}

  private static final class ShardState {
    long committed;
    long next;
    long base;
    BitSet done = new BitSet();

    ShardState(long committed) {
      this.committed = committed;
      this.next = committed;
      this.base = committed;
    }

    void done(long offset) {
      if (offset < committed || offset - committed > MAX_SPAN) {
        return;
      }
      done.set((int) (offset - base));
      next = Math.max(next, offset + 1);
      if (offset == committed) {
        committed = base + done.nextClearBit((int) (committed - base));
        if (committed - base >= REBASE) {
          done = done.get((int) (committed - base), Math.max(done.length(), 1));
          base = committed;
        }
      }
    }

    /** Marks {@code [start, start + length)} done (clamped to the span a window can have). */
    void doneRun(long start, long length) {
      long end = Math.min(start + Math.max(0, length), committed + MAX_SPAN);
      for (long offset = Math.max(start, committed); offset < end; offset++) {
        done(offset);
      }
    }

    void skip(long position) {
      if (position <= committed) {
        return;
      }
      if (position - base > MAX_SPAN) {
        done = new BitSet();
        base = position;
        committed = position;
      } else {
        committed = base + done.nextClearBit((int) (position - base));
      }
      next = Math.max(next, committed);
    }

    List<long[]> runs() {
      List<long[]> runs = new ArrayList<>();
      int from = (int) (committed - base);
      for (int start = done.nextSetBit(from); start >= 0; ) {
        int end = done.nextClearBit(start);
        runs.add(new long[] {base + start, end - start});
        start = done.nextSetBit(end);
      }
      return runs;
    }
  }

  private final Map<String, ShardState> shards = new HashMap<>();
  private final Map<String, long[]> counters = new HashMap<>();
  private long generation;

  /** The view of a snapshot's entries. */
  static PositionView of(Map<String, Long> snapshot) {
    PositionView view = new PositionView();
    Map<String, List<long[]>> runs = new HashMap<>();
    Map<String, Long> nexts = new HashMap<>();
    for (Map.Entry<String, Long> entry : snapshot.entrySet()) {
      String key = entry.getKey();
      long value = entry.getValue();
      int runAt = key.indexOf(RUNS);
      int countersAt = key.indexOf(COUNTERS);
      if (key.equals(GENERATION)) {
        view.generation = value;
      } else if (runAt >= 0) {
        runs.computeIfAbsent(key.substring(0, runAt), k -> new ArrayList<>())
            .add(new long[] {Long.parseLong(key.substring(runAt + RUNS.length())), value});
      } else if (key.endsWith(NEXT)) {
        nexts.put(key.substring(0, key.length() - NEXT.length()), value);
      } else if (countersAt >= 0) {
        int index = Integer.parseInt(key.substring(countersAt + COUNTERS.length()));
        long[] values =
            view.counters.computeIfAbsent(
                key.substring(0, countersAt), k -> new long[GroupCounters.PERSISTED]);
        if (index >= 0 && index < values.length) {
          values[index] = value;
        }
      } else {
        view.shards.put(key, new ShardState(value));
      }
    }
    for (Map.Entry<String, ShardState> entry : view.shards.entrySet()) {
      ShardState state = entry.getValue();
      for (long[] run : runs.getOrDefault(entry.getKey(), List.of())) {
        state.doneRun(run[0], run[1]);
      }
      state.next = Math.max(state.next, nexts.getOrDefault(entry.getKey(), state.next));
    }
    return view;
  }

  /** The snapshot entries of this view. */
  Map<String, Long> toSnapshot() {
    Map<String, Long> snapshot = new TreeMap<>();
    snapshot.put(GENERATION, generation);
    for (Map.Entry<String, ShardState> entry : shards.entrySet()) {
      String key = entry.getKey();
      ShardState state = entry.getValue();
      snapshot.put(key, state.committed);
      if (state.next > state.committed) {
        snapshot.put(key + NEXT, state.next);
      }
      for (long[] run : state.runs()) {
        snapshot.put(key + RUNS + run[0], run[1]);
      }
    }
    for (Map.Entry<String, long[]> entry : counters.entrySet()) {
      long[] values = entry.getValue();
      for (int i = 0; i < values.length; i++) {
        snapshot.put(entry.getKey() + COUNTERS + i, values[i]);
      }
    }
    return snapshot;
  }

  long generation() {
    return generation;
  }

  void generation(long value) {
    generation = value;
  }

  Restored restored(String shardKey) {
    ShardState state = shards.get(shardKey);
    return state == null ? null : new Restored(state.committed, state.next, state.runs());
  }

  long[] counters(String groupKey) {
    long[] values = counters.get(groupKey);
    return values == null ? null : values.clone();
  }

  /** Applies a journal replay to this view (ids resolved through the journal's DEFINE entries). */
  AckJournal.Visitor replay() {
    Map<Integer, String> keys = new HashMap<>();
    return new AckJournal.Visitor() {
      @Override
      public void define(int id, String key) {
        keys.put(id, key);
      }

      @Override
      public void done(int id, long offset) {
        PositionView.this.done(keys.getOrDefault(id, ""), offset);
      }

      @Override
      public void init(int id, long committed) {
        String key = keys.get(id);
        if (key != null) {
          PositionView.this.init(key, committed);
        }
      }

      @Override
      public void skip(int id, long committed) {
        String key = keys.get(id);
        if (key != null) {
          PositionView.this.skip(key, committed);
        }
      }

      @Override
      public void next(int id, long next) {
        PositionView.this.next(keys.getOrDefault(id, ""), next);
      }

      @Override
      public void remove(int id) {
        PositionView.this.remove(keys.getOrDefault(id, ""));
      }

      @Override
      public void state(int id, long committed, long next, long[] runs) {
        String key = keys.get(id);
        if (key != null) {
          PositionView.this.state(key, committed, next, runs);
        }
      }

      @Override
      public void counters(int id, long[] values) {
        String key = keys.get(id);
        if (key != null) {
          PositionView.this.counters(key, values);
        }
      }
    };
  }

  // ---- changes (the journal's entry types)

  void done(String key, long offset) {
    ShardState state = shards.get(key);
    if (state != null) {
      state.done(offset);
    }
  }

  void init(String key, long committed) {
    shards.put(key, new ShardState(committed));
  }

  void skip(String key, long committed) {
    ShardState state = shards.get(key);
    if (state == null) {
      shards.put(key, new ShardState(committed));
    } else {
      state.skip(committed);
    }
  }

  void next(String key, long next) {
    ShardState state = shards.get(key);
    if (state != null) {
      state.next = Math.max(state.next, next);
    }
  }

  void remove(String key) {
    shards.remove(key);
    counters.remove(key);
  }

  void state(String key, long committed, long next, long[] runs) {
    ShardState state = new ShardState(committed);
    for (int i = 0; i + 1 < runs.length; i += 2) {
      state.doneRun(runs[i], runs[i + 1]);
    }
    state.next = Math.max(state.next, next);
    shards.put(key, state);
  }

  void counters(String key, long[] values) {
    long[] kept = new long[GroupCounters.PERSISTED];
    System.arraycopy(values, 0, kept, 0, Math.min(values.length, kept.length));
    counters.put(key, kept);
  }
}
