package dev.felix.client;

/**
 * Receives a subscription's records, in order per shard, on the subscription's own dispatcher
 * thread (never a network thread). While it runs, later records wait in the subscription's receive
 * buffer; when that fills, the client stops reading the subscription's stream and QUIC flow control
 * slows the broker down for this subscription only. An exception is reported through {@link
 * ClientListener#onError} and delivery continues with the next record.
 */
@FunctionalInterface
public interface RecordListener {
  /**
   * One record.
   *
   * @param record the received record
   */
  void onRecord(ReceivedRecord record);
}
