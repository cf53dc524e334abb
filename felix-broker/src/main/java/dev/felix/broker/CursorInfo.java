package dev.felix.broker;

import dev.felix.wire.message.StreamRef;
import java.util.List;

/**
 * A named subscription cursor and its committed positions (a snapshot).
 *
 * @param stream the stream
 * @param name the cursor's name
 * @param durable true when the positions are stored on disk (durable stream)
 * @param shards committed position per shard that has one, by shard
 */
public record CursorInfo(StreamRef stream, String name, boolean durable, List<Shard> shards) {
  public CursorInfo {
    shards = List.copyOf(shards);
  }

  /**
   * One shard's position.
   *
   * @param shard the shard
   * @param position the next offset the cursor will deliver (every offset below it is consumed)
   * @param lag records between the position and the shard's end
   */
  public record Shard(int shard, long position, long lag) {}

  /** Records of every shard still to consume. */
  public long lag() {
    long lag = 0;
    for (Shard shard : shards) {
      lag += shard.lag();
    }
    return lag;
  }
}
