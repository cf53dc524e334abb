package dev.felix.storage.durable;

/**
 * Summary of a log directory from {@link LogInspector#stats}, counting the valid batches of each
 * segment.
 *
 * @param segments segment files
 * @param startOffset first offset on disk
 * @param endOffset offset after the last valid record
 * @param records valid records on disk
 * @param segmentBytes size of the segment files
 * @param indexBytes size of the index files
 * @param firstTimestampMs timestamp of the first record, or -1 when the log is empty
 * @param maxTimestampMs largest record timestamp, or -1 when the log is empty
 */
public record LogStats(
    int segments,
    long startOffset,
    long endOffset,
    long records,
    long segmentBytes,
    long indexBytes,
    long firstTimestampMs,
    long maxTimestampMs) {}
