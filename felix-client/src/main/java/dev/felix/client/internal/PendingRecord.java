package dev.felix.client.internal;

import dev.felix.client.PublishReceipt;
import dev.felix.wire.message.RecordData;
import java.util.concurrent.CompletableFuture;

/**
 * One published record until its outcome is known.
 *
 * @param record the record
 * @param sizeBytes its encoded size in a batch
 * @param future completed with the receipt or the failure
 * @param sync true when a thread blocks on the future: it is completed on the network thread
 *     directly (no application code can be chained to it); otherwise on the callback thread
 * @param enqueuedNanos when it was queued
 * @param deadlineNanos when it fails with TIMEOUT if still not sent
 */
record PendingRecord(
    RecordData record,
    int sizeBytes,
    CompletableFuture<PublishReceipt> future,
    boolean sync,
    long enqueuedNanos,
    long deadlineNanos) {}
