package dev.felix.client.internal;

import dev.felix.client.ReceivedRecord;
import dev.felix.client.RecordListener;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;

/**
 * How a listener subscription's buffered records reach its {@link RecordListener}: a thread of its
 * own ({@link RecordDispatcher}) or turns on the client's shared listener pool ({@link
 * PooledRecordDispatcher}). Either way one record at a time, in order.
 */
interface ListenerDispatch {
  void start();

  /**
   * Stops delivering: the listener gets no further record. Waits (bounded) for a running callback
   * to return, unless called from within the listener.
   */
  void stop(long boundMillis);

  /** Waits (bounded) until what was buffered has been delivered and the buffer ended. */
  void awaitDrained(long boundMillis);

  /** Calls the listener; a listener that throws is reported to the client listener, not fatal. */
  static void deliver(
      RecordListener listener, ReceivedRecord record, Callbacks callbacks, String label) {
    try {
      listener.onRecord(record);
    } catch (RuntimeException e) {
      FelixException error =
          new FelixException(
              ErrorCode.INTERNAL,
              "the record listener of "
                  + label
                  + " threw at shard "
                  + record.shard()
                  + " offset "
                  + record.offset(),
              e);
      callbacks.notify(l -> l.onError(error));
    }
  }
}
