package dev.felix.server.session;

import dev.felix.broker.Broker;
import dev.felix.broker.GroupInfo;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Consumer-group metrics, per group (labels tenant, namespace, stream, group), read from the broker
 * at scrape time. The label sets are bounded by {@code queues.maxGroups}.
 */
final class QueueMetrics {
  // Not "namespace": Prometheus adds the Kubernetes namespace label under that name on scrape.
  private static final String[] LABELS = {"tenant", "felix_namespace", "stream", "group"};

  private QueueMetrics() {}

  static void register(PrometheusRegistry registry, Broker broker) {
    ScrapedMetrics.single(registry, broker)
        .counter(
            "felix_queue_journal_dropped_total",
            "Group position changes dropped because the ack journal's buffer was full",
            Broker::queueJournalDroppedEntries);
    ScrapedMetrics<GroupInfo> metrics =
        new ScrapedMetrics<>(registry, LABELS, broker::groups, QueueMetrics::labels);
    metrics.gauge(
        "felix_queue_lag_records",
        "Records appended but not yet committed by the group",
        GroupInfo::lag);
    metrics.gauge("felix_queue_in_flight", "Records leased now", GroupInfo::inFlight);
    metrics.gauge(
        "felix_queue_awaiting_journal_records",
        "Leased records held until the ack journal has their lease (durable streams)",
        GroupInfo::awaitingJournal);
    metrics.gauge("felix_queue_members", "Members joined now", GroupInfo::members);
    metrics.counter("felix_queue_acks_total", "Records acked", GroupInfo::acks);
    metrics.counter("felix_queue_nacks_total", "Records nacked", GroupInfo::nacks);
    metrics.counter(
        "felix_queue_redeliveries_total",
        "Deliveries after the first (nack, expiry, member gone): possible duplicates",
        GroupInfo::redeliveries);
    metrics.counter(
        "felix_queue_expired_leases_total",
        "Leases that ran out without an ack",
        GroupInfo::expiredLeases);
    metrics.counter(
        "felix_queue_dead_lettered_total",
        "Records moved to the dead-letter stream after maxDeliveries",
        GroupInfo::deadLettered);
    metrics.counter(
        "felix_queue_stale_acks_total",
        "Acks and nacks of records the member did not hold (ignored)",
        GroupInfo::staleAcks);
    metrics.counter(
        "felix_queue_lost_records_total",
        "Records evicted from a memory log before the group consumed them",
        GroupInfo::lostRecords);
    metrics.counter(
        "felix_queue_window_full_total",
        "Lease steps held back by a full ack window (back-pressure)",
        GroupInfo::windowFull);
  }

  private static String[] labels(GroupInfo group) {
    return new String[] {
      group.stream().tenant(), group.stream().namespace(), group.stream().stream(), group.group()
    };
  }
}
