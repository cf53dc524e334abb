package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.MessageType;
import dev.felix.wire.Names;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Store a named cursor's positions (capability {@code DURABLE_CURSORS}). Each entry is the next
 * offset to deliver on that shard: every record below it was consumed. Answered with {@code OK} on
 * the request id once the positions are stored (forced to disk on a durable stream), or {@code
 * ERROR} ({@code OFFSET_OUT_OF_RANGE} for an offset past the shard's end).
 *
 * <pre>
 * StreamRef stream
 * u8  cursorLength, cursor    ASCII name, 1..128
 * u32 count, count x { i32 shard, i64 offset }   1..maxBatchEntries, each shard at most once
 * </pre>
 *
 * <p>The stream is named rather than a subscription id so that a cursor can be committed by a
 * client that has no subscription open (a tool resetting a position forward, a consumer that
 * finished and unsubscribed before committing).
 */
public record CursorCommit(StreamRef stream, String cursor, List<ShardOffset> offsets)
    implements Message {
  public CursorCommit {
    Objects.requireNonNull(stream, "stream");
    Names.require("cursor", cursor);
    offsets = List.copyOf(offsets);
    if (offsets.isEmpty()) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "a cursor commit needs at least one shard offset");
    }
    // Two entries for one shard would make the stored position depend on their order.
    Set<Integer> shards = new HashSet<>();
    for (ShardOffset offset : offsets) {
      if (!shards.add(offset.shard())) {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT, "shard " + offset.shard() + " is committed twice");
      }
    }
  }

  @Override
  public MessageType type() {
    return MessageType.CURSOR_COMMIT;
  }

  @Override
  public void encode(PayloadWriter out) {
    stream.encode(out);
    out.name("cursor", cursor);
    ShardOffsets.encode(out, offsets);
  }

  @Override
  public int sizeHint() {
    return stream.encodedSize() + 1 + cursor.length() + 4 + offsets.size() * ShardOffset.BYTES;
  }

  static CursorCommit decode(PayloadReader in) {
    return new CursorCommit(
        StreamRef.decode(in), in.name("cursor"), ShardOffsets.decode(in, "offset"));
  }
}
