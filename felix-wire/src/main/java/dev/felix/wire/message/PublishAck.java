package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.List;

/**
 * Outcome of a Publish or PublishBatch sent with ack mode LEADER. Records are covered in publish
 * order by ranges: a range of {@code recordCount} consecutive records either all appended (code 0)
 * to one shard at consecutive offsets from {@code baseOffset}, or all failed with one error code. A
 * whole batch appended to one shard is one range of 22 bytes, whatever its size.
 *
 * <pre>
 * u32 rangeCount                   1..maxBatchEntries
 * rangeCount x {
 *   u32 recordCount                >= 1
 *   u16 errorCode                  0 = appended, else an ErrorCode number
 *   i32 shard                      shard written (or -1 on error)
 *   i64 baseOffset                 offset of the range's first record (or -1 on error)
 * }
 * </pre>
 */
public record PublishAck(List<Range> ranges) implements Message {
  static final int RANGE_BYTES = 4 + 2 + 4 + 8;

  /**
   * One run of records with the same outcome.
   *
   * @param recordCount how many consecutive records of the publish this range covers
   * @param errorCode 0 when appended, else the stable error number
   * @param shard shard that holds them, -1 on error
   * @param baseOffset offset of the first record, -1 on error
   */
  public record Range(int recordCount, int errorCode, int shard, long baseOffset) {
    public Range {
      if (recordCount < 1) {
        throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "ack range covers no record");
      }
      if (errorCode < 0 || errorCode > 0xFFFF) {
        throw new IllegalArgumentException("error code out of u16 range: " + errorCode);
      }
      if (errorCode == 0 && (shard < 0 || baseOffset < 0)) {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT, "successful ack range needs shard and offset >= 0");
      }
    }

    public static Range appended(int shard, long baseOffset, int recordCount) {
      return new Range(recordCount, 0, shard, baseOffset);
    }

    public static Range failed(ErrorCode code, int recordCount) {
      return new Range(recordCount, code.code(), -1, -1);
    }

    public boolean isSuccess() {
      return errorCode == 0;
    }
  }

  public PublishAck {
    ranges = List.copyOf(ranges);
    if (ranges.isEmpty()) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "publish ack needs at least one range");
    }
  }

  /** All records appended to one shard from {@code baseOffset}. */
  public static PublishAck appended(int shard, long baseOffset, int recordCount) {
    return new PublishAck(List.of(Range.appended(shard, baseOffset, recordCount)));
  }

  /** Total records covered. */
  public long recordCount() {
    long total = 0;
    for (Range range : ranges) {
      total += range.recordCount();
    }
    return total;
  }

  @Override
  public MessageType type() {
    return MessageType.PUBLISH_ACK;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u32(ranges.size());
    for (Range range : ranges) {
      out.u32(range.recordCount())
          .u16(range.errorCode())
          .i32(range.shard())
          .i64(range.baseOffset());
    }
  }

  @Override
  public int sizeHint() {
    return 4 + ranges.size() * RANGE_BYTES;
  }

  static PublishAck decode(PayloadReader in) {
    int count = in.count("range count", in.limits().maxBatchEntries(), RANGE_BYTES);
    Range[] ranges = new Range[count];
    for (int i = 0; i < count; i++) {
      ranges[i] =
          new Range(
              in.u32("recordCount"), in.u16("errorCode"), in.i32("shard"), in.i64("baseOffset"));
    }
    return new PublishAck(List.of(ranges));
  }
}
