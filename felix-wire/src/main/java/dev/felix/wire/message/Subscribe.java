package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.MessageType;
import dev.felix.wire.Names;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.Objects;

/**
 * Open a subscription (a cursor over a stream) or, with a group, join a consumer group.
 *
 * <pre>
 * StreamRef stream
 * i32 shard            -1 = every shard, else one shard
 * u8  startKind        0 LATEST, 1 EARLIEST, 2 OFFSET, 3 TIMESTAMP
 * i64 startValue       offset or epoch ms (0 for LATEST and EARLIEST)
 * u8  options          bit 0 FROM_EARLIEST_IF_OUT_OF_RANGE, bit 1 CURSOR; others reserved (rejected)
 * u8  groupLength, group (ASCII name; length 0 = no group, a plain subscription)
 * [u8 cursorLength, cursor]   only when CURSOR is set: ASCII name (1..128) of a named cursor
 * u32 maxInFlight      group members: most unacknowledged records leased at once (0 = default)
 * </pre>
 *
 * <p>A named cursor resumes at its committed positions (shards without one start at {@code start});
 * it needs capability {@code DURABLE_CURSORS}. A group has positions of its own, so a cursor with a
 * group is {@code INVALID_ARGUMENT}. The cursor field is present only with the bit so that a v1
 * Subscribe without cursors keeps its exact bytes.
 */
public record Subscribe(
    StreamRef stream,
    int shard,
    StartPosition start,
    int options,
    String group,
    int maxInFlight,
    String cursor)
    implements Message {
  /** Start at the earliest retained offset when the requested offset is no longer retained. */
  public static final int FROM_EARLIEST_IF_OUT_OF_RANGE = 1;

  /** A cursor name follows the group field: resume (and later commit) that named cursor. */
  public static final int CURSOR = 1 << 1;

  static final int KNOWN_OPTIONS = FROM_EARLIEST_IF_OUT_OF_RANGE | CURSOR;

  public Subscribe {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(start, "start");
    if (shard < -1) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "shard must be >= -1: " + shard);
    }
    PayloadReader.requireKnownBits(options, KNOWN_OPTIONS, "subscribe options");
    if (group != null) {
      Names.require("group", group);
    }
    if (maxInFlight < 0) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "maxInFlight must be >= 0");
    }
    boolean cursorBit = (options & CURSOR) != 0;
    if (cursorBit != (cursor != null)) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "the CURSOR option and the cursor name go together");
    }
    if (cursor != null) {
      Names.require("cursor", cursor);
      if (group != null) {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT, "a consumer group has positions of its own, not a cursor");
      }
    }
  }

  /** A subscribe without a named cursor ({@code options} must not have {@link #CURSOR}). */
  public Subscribe(
      StreamRef stream,
      int shard,
      StartPosition start,
      int options,
      String group,
      int maxInFlight) {
    this(stream, shard, start, options, group, maxInFlight, null);
  }

  /** This request resuming the named cursor {@code name}. */
  public Subscribe withCursor(String name) {
    return new Subscribe(stream, shard, start, options | CURSOR, group, maxInFlight, name);
  }

  public boolean hasCursor() {
    return cursor != null;
  }

  /** Every shard of {@code stream} from {@code start}, no group. */
  public static Subscribe of(StreamRef stream, StartPosition start) {
    return new Subscribe(stream, -1, start, 0, null, 0);
  }

  public boolean hasGroup() {
    return group != null;
  }

  @Override
  public MessageType type() {
    return MessageType.SUBSCRIBE;
  }

  @Override
  public void encode(PayloadWriter out) {
    stream.encode(out);
    out.i32(shard).u8(start.kind().code()).i64(start.value()).u8(options);
    if (group == null) {
      out.u8(0);
    } else {
      out.name("group", group);
    }
    if (cursor != null) {
      out.name("cursor", cursor);
    }
    out.u32(maxInFlight);
  }

  static Subscribe decode(PayloadReader in) {
    StreamRef stream = StreamRef.decode(in);
    int shard = in.i32("shard");
    StartPosition.Kind kind = StartPosition.Kind.fromCode(in.u8("startKind"));
    StartPosition start = new StartPosition(kind, in.i64("startValue"));
    int options = in.u8("options");
    String group = in.optionalName("group");
    // Unknown bits are refused before the optional field is read, so they never shift the layout.
    PayloadReader.requireKnownBits(options, KNOWN_OPTIONS, "subscribe options");
    String cursor = (options & CURSOR) != 0 ? in.name("cursor") : null;
    return new Subscribe(stream, shard, start, options, group, in.u32("maxInFlight"), cursor);
  }
}
