package dev.felix.storage.log;

/**
 * A batch of an idempotent producer that a durable log found when it opened: its stamp and the
 * offsets it holds, enough to acknowledge a retry of it with its original offsets.
 *
 * @param stamp the producer and its sequence range
 * @param baseOffset offset of the batch's first record
 * @param recordCount records in the batch
 */
public record StampedBatch(ProducerStamp stamp, long baseOffset, int recordCount) {}
