package dev.felix.broker.core;

import dev.felix.error.ErrorCode;
import dev.felix.error.NotFoundException;
import dev.felix.storage.log.Log;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;

/** Turns a subscription's requested start into an offset of one shard's log. Stateless. */
final class StartPositions {
  private StartPositions() {}

  /**
   * The first offset to deliver: the end for LATEST, the retained start for EARLIEST, the log's
   * time lookup for TIMESTAMP, and the offset itself for OFFSET.
   *
   * @throws NotFoundException {@link ErrorCode#OFFSET_OUT_OF_RANGE} for an offset above the end, or
   *     below the retained start unless {@code fromEarliestIfOutOfRange} (then the start)
   */
  static long resolve(
      Log log, StartPosition start, boolean fromEarliestIfOutOfRange, StreamRef stream, int shard) {
    long first = log.startOffset();
    long end = log.endOffset();
    return switch (start.kind()) {
      case LATEST -> end;
      case EARLIEST -> first;
      case TIMESTAMP -> log.offsetForTimestamp(start.value());
      case OFFSET -> {
        long offset = start.value();
        if (offset > end || (offset < first && !fromEarliestIfOutOfRange)) {
          throw new NotFoundException(
              ErrorCode.OFFSET_OUT_OF_RANGE,
              "offset "
                  + offset
                  + " of "
                  + stream
                  + " shard "
                  + shard
                  + " is outside the retained range ["
                  + first
                  + ", "
                  + end
                  + "]");
        }
        yield Math.max(offset, first);
      }
    };
  }
}
