package dev.felix.client.internal;

import dev.felix.client.PublishReceipt;
import dev.felix.error.FelixException;
import java.util.ArrayList;
import java.util.List;

/**
 * Completes the records of one batch: futures of synchronous publishes at once (their only waiter
 * is a blocked thread), the others in a single task on the callback thread, because application
 * code chained to a {@code publishAsync} future must never run on the event loop.
 */
final class Completion {
  private final Callbacks callbacks;
  private List<PendingRecord> asyncRecords;
  private List<Object> asyncResults;

  Completion(Callbacks callbacks) {
    this.callbacks = callbacks;
  }

  void succeed(PendingRecord record, PublishReceipt receipt) {
    if (record.sync()) {
      record.future().complete(receipt);
    } else {
      defer(record, receipt);
    }
  }

  void fail(PendingRecord record, FelixException error) {
    if (record.sync()) {
      record.future().completeExceptionally(error);
    } else {
      defer(record, error);
    }
  }

  /** Hands the deferred completions to the callback thread. */
  void finish() {
    if (asyncRecords == null) {
      return;
    }
    List<PendingRecord> records = asyncRecords;
    List<Object> results = asyncResults;
    callbacks.complete(
        () -> {
          for (int i = 0; i < records.size(); i++) {
            Object result = results.get(i);
            if (result instanceof PublishReceipt receipt) {
              records.get(i).future().complete(receipt);
            } else {
              records.get(i).future().completeExceptionally((FelixException) result);
            }
          }
        });
  }

  private void defer(PendingRecord record, Object result) {
    if (asyncRecords == null) {
      asyncRecords = new ArrayList<>();
      asyncResults = new ArrayList<>();
    }
    asyncRecords.add(record);
    asyncResults.add(result);
  }
}
