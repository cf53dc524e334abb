package dev.felix.server.session;

import dev.felix.broker.Broker;
import dev.felix.broker.StreamInfo;
import dev.felix.storage.durable.DurableLogMetrics;
import dev.felix.storage.log.LogMetrics;
import dev.felix.wire.message.StreamRef;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Durable stream metrics, per stream (labels tenant, namespace, stream; summed over its shards),
 * read from the logs at scrape time: disk use, fsyncs and their latency, I/O errors, what recovery
 * truncated, and how far the forced end trails the written end.
 */
final class StorageMetrics {
  // Not "namespace": Prometheus adds the Kubernetes namespace label under that name on scrape.
  private static final String[] LABELS = {"tenant", "felix_namespace", "stream"};

  private StorageMetrics() {}

  static void register(PrometheusRegistry registry, Broker broker) {
    gauge(
        registry, broker, "felix_storage_disk_bytes", "Bytes of segment files", m -> m.diskBytes());
    gauge(registry, broker, "felix_storage_segments", "Segment files", m -> m.segments());
    gauge(
        registry,
        broker,
        "felix_storage_unforced_records",
        "Records written but not yet forced to disk (what a machine crash could lose now)",
        m -> ((LogMetrics) m).endOffset() - m.durableEndOffset());
    gauge(
        registry,
        broker,
        "felix_storage_fsync_max_seconds",
        "Longest fsync since start",
        m -> m.fsyncNanosMax() / 1e9);
    counter(registry, broker, "felix_storage_fsyncs_total", "Fsyncs", m -> m.fsyncs());
    counter(
        registry,
        broker,
        "felix_storage_fsync_seconds_total",
        "Time spent in fsync",
        m -> m.fsyncNanosTotal() / 1e9);
    counter(
        registry,
        broker,
        "felix_storage_io_errors_total",
        "Failed writes, reads and fsyncs (the publish got STORAGE_ERROR or STORAGE_FULL)",
        m -> m.ioErrors());
    counter(
        registry,
        broker,
        "felix_storage_recovery_truncated_bytes_total",
        "Bytes of torn tail truncated when the logs were opened at start",
        m -> m.recoveryTruncatedBytes());
    counter(
        registry,
        broker,
        "felix_storage_index_rebuilds_total",
        "Index files rebuilt",
        m -> m.indexRebuilds());
    counter(registry, broker, "felix_storage_rolls_total", "Segments rolled", m -> m.rolls());
  }

  private static void gauge(
      PrometheusRegistry registry,
      Broker broker,
      String name,
      String help,
      ToDoubleFunction<DurableLogMetrics> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(LABELS)
        .callback(callback -> each(broker, (ref, sum) -> callback.call(sum, labels(ref)), value))
        .register(registry);
  }

  private static void counter(
      PrometheusRegistry registry,
      Broker broker,
      String name,
      String help,
      ToDoubleFunction<DurableLogMetrics> value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(LABELS)
        .callback(callback -> each(broker, (ref, sum) -> callback.call(sum, labels(ref)), value))
        .register(registry);
  }

  private interface PerStream {
    void accept(StreamRef ref, double sum);
  }

  /** Calls {@code out} once per durable stream with {@code value} summed over its shards. */
  private static void each(
      Broker broker, PerStream out, ToDoubleFunction<DurableLogMetrics> value) {
    for (StreamRef ref : broker.streams()) {
      StreamInfo info = broker.stream(ref).orElse(null);
      if (info == null || !info.config().durable()) {
        continue;
      }
      double sum = 0;
      for (StreamInfo.ShardInfo shard : info.shards()) {
        if (shard.log() instanceof DurableLogMetrics durable) {
          sum += value.applyAsDouble(durable);
        }
      }
      out.accept(ref, sum);
    }
  }

  private static String[] labels(StreamRef ref) {
    return new String[] {ref.tenant(), ref.namespace(), ref.stream()};
  }
}
