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
 * u8  options          bit 0 FROM_EARLIEST_IF_OUT_OF_RANGE; other bits reserved (rejected)
 * u8  groupLength, group (ASCII name; length 0 = no group, a plain subscription)
 * u32 maxInFlight      group members: most unacknowledged records leased at once (0 = default)
 * </pre>
 */
public record Subscribe(
    StreamRef stream, int shard, StartPosition start, int options, String group, int maxInFlight)
    implements Message {
  /** Start at the earliest retained offset when the requested offset is no longer retained. */
  public static final int FROM_EARLIEST_IF_OUT_OF_RANGE = 1;

  static final int KNOWN_OPTIONS = FROM_EARLIEST_IF_OUT_OF_RANGE;

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
    out.u32(maxInFlight);
  }

  static Subscribe decode(PayloadReader in) {
    StreamRef stream = StreamRef.decode(in);
    int shard = in.i32("shard");
    StartPosition.Kind kind = StartPosition.Kind.fromCode(in.u8("startKind"));
    StartPosition start = new StartPosition(kind, in.i64("startValue"));
    int options = in.u8("options");
    String group = in.optionalName("group");
    return new Subscribe(stream, shard, start, options, group, in.u32("maxInFlight"));
  }
}
