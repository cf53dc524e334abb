package dev.felix.storage.durable;

import dev.felix.wire.message.RecordData;

/**
 * One record from {@link LogInspector#dump}.
 *
 * @param offset its log offset
 * @param sizeBytes its encoded size including the length prefix
 * @param record its key, headers, timestamp and payload
 */
public record DumpedRecord(long offset, int sizeBytes, RecordData record) {}
