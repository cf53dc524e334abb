package dev.felix.server.session;

import dev.felix.broker.Broker;
import dev.felix.broker.StreamInfo;
import dev.felix.storage.durable.DurableLogMetrics;
import dev.felix.storage.log.LogMetrics;
import dev.felix.wire.message.StreamRef;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
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
    ScrapedMetrics<DurableStream> metrics =
        new ScrapedMetrics<>(
            registry, LABELS, () -> durableStreams(broker), stream -> labels(stream.ref()));
    metrics.gauge(
        "felix_storage_disk_bytes", "Bytes of segment files", s -> s.sum(m -> m.diskBytes()));
    metrics.gauge("felix_storage_segments", "Segment files", s -> s.sum(m -> m.segments()));
    metrics.gauge(
        "felix_storage_unforced_records",
        "Records written but not yet forced to disk (what a machine crash could lose now)",
        s -> s.sum(m -> ((LogMetrics) m).endOffset() - m.durableEndOffset()));
    metrics.gauge(
        "felix_storage_fsync_max_seconds",
        "Longest fsync since start",
        s -> s.sum(m -> m.fsyncNanosMax() / 1e9));
    metrics.counter("felix_storage_fsyncs_total", "Fsyncs", s -> s.sum(m -> m.fsyncs()));
    metrics.counter(
        "felix_storage_fsync_seconds_total",
        "Time spent in fsync",
        s -> s.sum(m -> m.fsyncNanosTotal() / 1e9));
    metrics.counter(
        "felix_storage_io_errors_total",
        "Failed writes, reads and fsyncs (the publish got STORAGE_ERROR or STORAGE_FULL)",
        s -> s.sum(m -> m.ioErrors()));
    metrics.counter(
        "felix_storage_recovery_truncated_bytes_total",
        "Bytes of torn tail truncated when the logs were opened at start",
        s -> s.sum(m -> m.recoveryTruncatedBytes()));
    metrics.counter(
        "felix_storage_index_rebuilds_total",
        "Index files rebuilt",
        s -> s.sum(m -> m.indexRebuilds()));
    metrics.counter("felix_storage_rolls_total", "Segments rolled", s -> s.sum(m -> m.rolls()));
  }

  /** A durable stream now, with the metrics of each of its shards' logs. */
  private record DurableStream(StreamRef ref, List<DurableLogMetrics> shards) {
    double sum(ToDoubleFunction<DurableLogMetrics> value) {
      double sum = 0;
      for (DurableLogMetrics shard : shards) {
        sum += value.applyAsDouble(shard);
      }
      return sum;
    }
  }

  private static List<DurableStream> durableStreams(Broker broker) {
    List<DurableStream> durable = new ArrayList<>();
    for (StreamRef ref : broker.streams()) {
      StreamInfo info = broker.stream(ref).orElse(null);
      if (info == null || !info.config().durable()) {
        continue;
      }
      List<DurableLogMetrics> shards = new ArrayList<>();
      for (StreamInfo.ShardInfo shard : info.shards()) {
        if (shard.log() instanceof DurableLogMetrics log) {
          shards.add(log);
        }
      }
      durable.add(new DurableStream(ref, shards));
    }
    return durable;
  }

  private static String[] labels(StreamRef ref) {
    return new String[] {ref.tenant(), ref.namespace(), ref.stream()};
  }
}
