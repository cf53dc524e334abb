package dev.felix.server.session;

import dev.felix.broker.Broker;
import dev.felix.broker.BrokerMetrics;
import dev.felix.error.ErrorCode;
import dev.felix.storage.log.MemoryBudget;
import dev.felix.wire.PayloadReader;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.ToLongFunction;

/**
 * Every metric the server exports, named {@code felix_<area>_<what>} with units. Connection and
 * session figures are counted here; broker figures are read from {@link BrokerMetrics} at scrape
 * time, so the data path pays nothing for them. Thread-safe (Prometheus metrics are).
 */
public final class ServerMetrics {
  private final Counter connectionsOpened;
  private final Gauge connectionsActive;
  private final Counter publishFrames;
  private final Counter publishRecords;
  private final Counter publishBytes;
  private final Counter publishBackpressured;
  private final Gauge inflightPublishBytes;
  private final Counter subscribeRequests;
  private final Gauge subscriptionsActive;
  private final Counter errors;
  private final Histogram publishToDeliver;
  private final CacheMetrics cache;

  public ServerMetrics(PrometheusRegistry registry, Broker brokerCore) {
    BrokerMetrics broker = brokerCore.metrics();
    this.cache = new CacheMetrics(registry, brokerCore.caches());
    StorageMetrics.register(registry, brokerCore);
    QueueMetrics.register(registry, brokerCore);
    registerStreamMemory(registry, brokerCore.streamMemory());
    connectionsOpened =
        Counter.builder()
            .name("felix_connections_opened_total")
            .help("QUIC connections accepted (handshake complete)")
            .register(registry);
    connectionsActive =
        Gauge.builder()
            .name("felix_connections_active")
            .help("Open connections")
            .register(registry);
    publishFrames =
        Counter.builder()
            .name("felix_publish_requests_total")
            .help("Publish and PublishBatch frames received")
            .register(registry);
    publishRecords =
        Counter.builder()
            .name("felix_publish_records_total")
            .help("Records received in publish frames")
            .register(registry);
    publishBytes =
        Counter.builder()
            .name("felix_publish_bytes_total")
            .help("Bytes of publish frames received")
            .register(registry);
    publishBackpressured =
        Counter.builder()
            .name("felix_publish_backpressured_total")
            .help("Publish frames held back because a stream with the block policy was full")
            .register(registry);
    inflightPublishBytes =
        Gauge.builder()
            .name("felix_connection_inflight_publish_bytes")
            .help("Publish bytes appended but not yet acknowledged, summed over connections")
            .register(registry);
    subscribeRequests =
        Counter.builder()
            .name("felix_subscribe_requests_total")
            .help("Subscribe frames received")
            .register(registry);
    subscriptionsActive =
        Gauge.builder()
            .name("felix_subscriptions_active")
            .help("Open subscriptions over all connections")
            .register(registry);
    errors =
        Counter.builder()
            .name("felix_errors_total")
            .help("Error replies sent, by error code")
            .labelNames("code")
            .register(registry);
    publishToDeliver =
        Histogram.builder()
            .name("felix_publish_to_deliver_seconds")
            .help("Time from a batch's append to its hand-over to a subscriber's QUIC stream")
            .classicUpperBounds(
                0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5,
                1)
            .classicOnly()
            .register(registry);
    registerBroker(registry, broker);
  }

  CacheMetrics cache() {
    return cache;
  }

  void connectionOpened() {
    connectionsOpened.inc();
    connectionsActive.inc();
  }

  void connectionClosed() {
    connectionsActive.dec();
  }

  void publishReceived(int records, int frameBytes) {
    publishFrames.inc();
    publishRecords.inc(records);
    publishBytes.inc(frameBytes);
  }

  void publishBackpressured() {
    publishBackpressured.inc();
  }

  void inflightPublishBytes(long delta) {
    inflightPublishBytes.inc((double) delta);
  }

  void subscribeRequested() {
    subscribeRequests.inc();
  }

  void subscriptionOpened() {
    subscriptionsActive.inc();
  }

  void subscriptionClosed() {
    subscriptionsActive.dec();
  }

  void error(ErrorCode code) {
    errors.labelValues(code.name()).inc();
  }

  void delivered(long latencyNanos) {
    publishToDeliver.observe(latencyNanos / 1e9);
  }

  private static void registerStreamMemory(PrometheusRegistry registry, MemoryBudget streamMemory) {
    ScrapedMetrics<MemoryBudget> metrics = ScrapedMetrics.single(registry, streamMemory);
    metrics.gauge(
        "felix_broker_stream_memory_bytes",
        "Record bytes all memory streams hold together",
        MemoryBudget::usedBytes);
    metrics.gauge(
        "felix_broker_stream_memory_max_bytes",
        "The bound on them (FELIX_STREAMS_MEMORY_MAX_BYTES)",
        MemoryBudget::maxBytes);
    metrics.counter(
        "felix_broker_stream_memory_refusals_total",
        "Publishes refused with LIMIT_EXCEEDED because memory streams held their whole budget",
        MemoryBudget::refusals);
  }

  private static void registerBroker(PrometheusRegistry registry, BrokerMetrics broker) {
    counter(
        registry,
        "felix_broker_streams_created_total",
        "Streams created",
        broker,
        BrokerMetrics::streamsCreated);
    counter(
        registry,
        "felix_broker_stream_limit_rejections_total",
        "Stream creations refused by the stream limit",
        broker,
        BrokerMetrics::streamLimitRejections);
    counter(
        registry,
        "felix_broker_published_records_total",
        "Records appended to logs",
        broker,
        BrokerMetrics::publishedRecords);
    counter(
        registry,
        "felix_broker_published_bytes_total",
        "Encoded record bytes appended",
        broker,
        BrokerMetrics::publishedBytes);
    counter(
        registry,
        "felix_broker_publish_blocked_total",
        "Publishes answered BLOCKED (block policy)",
        broker,
        BrokerMetrics::publishBlocked);
    counter(
        registry,
        "felix_broker_publish_duplicates_total",
        "Records of idempotent retries acknowledged without appending them again",
        broker,
        BrokerMetrics::publishDuplicates);
    gauge(
        registry,
        "felix_broker_cursors",
        "Named subscription cursors the broker holds",
        broker,
        BrokerMetrics::cursors);
    counter(
        registry,
        "felix_broker_cursor_commits_total",
        "Commits of named subscription cursors accepted",
        broker,
        BrokerMetrics::cursorCommits);
    counter(
        registry,
        "felix_broker_producers_forgotten_total",
        "Idempotent producers dropped from a full de-duplication window (least recently used)",
        broker,
        BrokerMetrics::producersForgotten);
    counter(
        registry,
        "felix_broker_producer_batches_recovered_total",
        "Idempotent producers' batches read back from durable logs at open to rebuild de-duplication",
        broker,
        BrokerMetrics::producerBatchesRecovered);
    counter(
        registry,
        "felix_broker_publish_errors_total",
        "Publishes refused with an error",
        broker,
        BrokerMetrics::publishErrors);
    counter(
        registry,
        "felix_broker_event_batches_encoded_total",
        "Event batches encoded (once for all subscribers)",
        broker,
        BrokerMetrics::eventBatchesEncoded);
    counter(
        registry,
        "felix_broker_event_batches_delivered_total",
        "Event batches handed to subscribers",
        broker,
        BrokerMetrics::eventBatchesDelivered);
    counter(
        registry,
        "felix_broker_event_records_delivered_total",
        "Records handed to subscribers",
        broker,
        BrokerMetrics::eventRecordsDelivered);
    counter(
        registry,
        "felix_broker_event_bytes_delivered_total",
        "Event frame bytes handed to subscribers",
        broker,
        BrokerMetrics::eventBytesDelivered);
    counter(
        registry,
        "felix_broker_dropped_records_total",
        "Records subscribers lost to drop policies or eviction",
        broker,
        BrokerMetrics::droppedRecords);
    counter(
        registry,
        "felix_broker_drop_notices_total",
        "EventsDropped notices sent",
        broker,
        BrokerMetrics::dropNotices);
    ScrapedMetrics.single(registry, broker)
        .counter(
            "felix_wire_name_cache_misses_total",
            "Names decoded from frames that were not in the bounded name cache (each allocated)",
            ignored -> PayloadReader.nameCacheMisses());
    counter(
        registry,
        "felix_broker_slow_consumer_disconnects_total",
        "Subscriptions ended by the disconnect policy",
        broker,
        BrokerMetrics::slowConsumerDisconnects);
    gauge(registry, "felix_broker_streams", "Streams", broker, BrokerMetrics::streams);
    gauge(
        registry,
        "felix_broker_subscriptions",
        "Open broker subscriptions",
        broker,
        BrokerMetrics::subscriptions);
    gauge(
        registry,
        "felix_broker_send_queue_bytes",
        "Bytes waiting in subscription send queues",
        broker,
        BrokerMetrics::sendQueueBytes);
  }

  private static void counter(
      PrometheusRegistry registry,
      String name,
      String help,
      BrokerMetrics broker,
      ToLongFunction<BrokerMetrics> value) {
    ScrapedMetrics.single(registry, broker).counter(name, help, value::applyAsLong);
  }

  private static void gauge(
      PrometheusRegistry registry,
      String name,
      String help,
      BrokerMetrics broker,
      ToLongFunction<BrokerMetrics> value) {
    ScrapedMetrics.single(registry, broker).gauge(name, help, value::applyAsLong);
  }
}
