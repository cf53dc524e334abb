package dev.felix.storage.durable;

/**
 * What {@link DurableLog#open} found and repaired, for the owner's start-up log line and metrics.
 *
 * @param segments segments opened
 * @param scannedBytes bytes read and CRC-checked
 * @param truncatedBytes bytes cut off the end of the active segment (torn write, bad CRC, garbage,
 *     zero fill)
 * @param truncatedRecords records lost with them, as far as the damaged batch's header could still
 *     be read (an estimate: garbage has no record count)
 * @param truncationReason what was wrong at the cut, with its byte position; empty when nothing was
 *     cut
 * @param indexesRebuilt segments whose index files were missing, damaged or inconsistent and were
 *     rewritten
 * @param orphanFilesDeleted index files without a segment (left by an interrupted deletion)
 */
public record RecoveryReport(
    int segments,
    long scannedBytes,
    long truncatedBytes,
    long truncatedRecords,
    String truncationReason,
    int indexesRebuilt,
    int orphanFilesDeleted) {

  /** True when open changed nothing on disk. */
  public boolean clean() {
    return truncatedBytes == 0 && indexesRebuilt == 0 && orphanFilesDeleted == 0;
  }
}
