package dev.felix.wire.message;

import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.List;

/**
 * What a watch sees, server to client on the watch's stream: snapshot entries first, then one frame
 * with {@code SNAPSHOT_COMPLETE} set (it may carry the last snapshot entries, or none), then
 * changes. Per key, changes come in version order, with no gap and no duplicate.
 *
 * <pre>
 * u8  flags                    bit 0 SNAPSHOT_COMPLETE: the snapshot ends with this frame
 * u32 count                    0..maxBatchEntries
 * count x CacheChange
 * </pre>
 */
public record CacheChanges(boolean snapshotComplete, List<CacheChange> changes) implements Message {
  /** Flag bit: the snapshot ends with this frame. */
  public static final int SNAPSHOT_COMPLETE = 1;

  public CacheChanges {
    changes = List.copyOf(changes);
  }

  @Override
  public MessageType type() {
    return MessageType.CACHE_CHANGES;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u8(snapshotComplete ? SNAPSHOT_COMPLETE : 0).u32(changes.size());
    for (CacheChange change : changes) {
      change.encode(out);
    }
  }

  @Override
  public int sizeHint() {
    int size = 5;
    for (CacheChange change : changes) {
      size += change.sizeHint();
    }
    return size;
  }

  static CacheChanges decode(PayloadReader in) {
    int flags = in.u8("flags");
    PayloadReader.requireKnownBits(flags, SNAPSHOT_COMPLETE, "flags");
    int count = in.count("change count", in.limits().maxBatchEntries(), CacheChange.FIXED_BYTES);
    CacheChange[] changes = new CacheChange[count];
    for (int i = 0; i < count; i++) {
      changes[i] = CacheChange.decode(in);
    }
    return new CacheChanges((flags & SNAPSHOT_COMPLETE) != 0, List.of(changes));
  }
}
