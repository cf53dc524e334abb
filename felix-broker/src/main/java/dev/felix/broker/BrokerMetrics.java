package dev.felix.broker;

/**
 * Broker-wide counters and gauges, cheap to read from any thread. The server exports each under the
 * name in its comment. Per-log figures are in {@link StreamInfo}; per-subscription ones on {@link
 * Subscription}.
 */
public interface BrokerMetrics {
  /** Gauge {@code felix_broker_streams}. */
  long streams();

  /** Counter {@code felix_broker_streams_created_total}. */
  long streamsCreated();

  /**
   * Counter {@code felix_broker_stream_limit_rejections_total}: creations refused by maxStreams.
   */
  long streamLimitRejections();

  /** Counter {@code felix_broker_publish_requests_total}: publish calls, whatever the outcome. */
  long publishRequests();

  /** Counter {@code felix_broker_published_records_total}: records appended. */
  long publishedRecords();

  /** Counter {@code felix_broker_published_bytes_total}: encoded record bytes appended. */
  long publishedBytes();

  /** Counter {@code felix_broker_publish_blocked_total}: publishes answered BLOCKED. */
  long publishBlocked();

  /**
   * Counter {@code felix_broker_publish_duplicates_total}: records of idempotent retries
   * acknowledged without appending them again.
   */
  long publishDuplicates();

  /** Gauge {@code felix_broker_cursors}: named subscription cursors the broker holds. */
  long cursors();

  /** Counter {@code felix_broker_cursor_commits_total}: commits of named cursors accepted. */
  long cursorCommits();

  /**
   * Counter {@code felix_broker_producers_forgotten_total}: idempotent producers a shard dropped
   * from its de-duplication window because it already remembered the maximum (least recently used
   * first); a retry of theirs would be appended again.
   */
  long producersForgotten();

  /**
   * Counter {@code felix_broker_producer_batches_recovered_total}: batches of idempotent producers
   * that durable shards read back from their logs at open to rebuild their de-duplication windows.
   */
  long producerBatchesRecovered();

  /** Counter {@code felix_broker_publish_errors_total}: publishes refused with an error. */
  long publishErrors();

  /** Gauge {@code felix_broker_subscriptions}: open subscriptions. */
  long subscriptions();

  /** Counter {@code felix_broker_subscriptions_opened_total}. */
  long subscriptionsOpened();

  /** Counter {@code felix_broker_event_batches_encoded_total}: shared parts encoded. */
  long eventBatchesEncoded();

  /** Counter {@code felix_broker_event_batches_delivered_total}: batches sinks accepted. */
  long eventBatchesDelivered();

  /** Counter {@code felix_broker_event_records_delivered_total}. */
  long eventRecordsDelivered();

  /** Counter {@code felix_broker_event_bytes_delivered_total}: frame bytes sinks accepted. */
  long eventBytesDelivered();

  /** Gauge {@code felix_broker_send_queue_bytes}: bytes waiting in all send queues. */
  long sendQueueBytes();

  /**
   * Counter {@code felix_broker_dropped_records_total}: records subscribers lost (drops, eviction).
   */
  long droppedRecords();

  /** Counter {@code felix_broker_drop_notices_total}: EventsDropped notices sinks accepted. */
  long dropNotices();

  /** Counter {@code felix_broker_slow_consumer_disconnects_total}. */
  long slowConsumerDisconnects();
}
