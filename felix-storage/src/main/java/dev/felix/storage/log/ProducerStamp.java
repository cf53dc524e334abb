package dev.felix.storage.log;

/**
 * Which idempotent producer appended a batch, and the producer sequences of its first and last
 * record on this shard. A durable log stores it with the batch (storage format 2), so that the
 * broker can recognise a retried publish after a restart.
 *
 * @param producerId the producer id, never 0 (0 means "not idempotent" on the wire)
 * @param firstSequence sequence of the batch's first record, {@code >= 0}
 * @param lastSequence sequence of its last record, {@code >= firstSequence}; a publish split over
 *     shards leaves gaps on each shard, so it is not derived from the record count
 */
public record ProducerStamp(long producerId, long firstSequence, long lastSequence) {
  public ProducerStamp {
    if (producerId == 0 || firstSequence < 0 || lastSequence < firstSequence) {
      throw new IllegalArgumentException(
          "bad producer stamp " + producerId + " " + firstSequence + ".." + lastSequence);
    }
  }
}
