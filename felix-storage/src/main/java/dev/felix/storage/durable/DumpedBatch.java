package dev.felix.storage.durable;

import dev.felix.storage.log.ProducerStamp;
import java.nio.file.Path;
import java.util.List;

/**
 * One batch as {@link LogInspector#dump} reads it.
 *
 * @param segment the segment file
 * @param position the batch's byte position in it
 * @param baseOffset offset of its first record
 * @param sizeBytes size of the batch including its header
 * @param maxTimestampMs largest record timestamp in the batch
 * @param producer the idempotent producer's stamp (format 2 batches), or null
 * @param records its records, with their log offsets
 */
public record DumpedBatch(
    Path segment,
    long position,
    long baseOffset,
    int sizeBytes,
    long maxTimestampMs,
    ProducerStamp producer,
    List<DumpedRecord> records) {
  public DumpedBatch {
    records = List.copyOf(records);
  }
}
