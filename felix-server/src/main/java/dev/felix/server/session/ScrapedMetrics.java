package dev.felix.server.session;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Metrics read at scrape time from a set of rows (the broker, its caches, its durable streams, its
 * consumer groups): one sample per row, labelled by the row. Nothing is counted twice: the values
 * live in the broker, and a scrape reads them.
 *
 * @param <T> one row: what a sample is read from
 */
final class ScrapedMetrics<T> {
  private final PrometheusRegistry registry;
  private final String[] labelNames;
  private final Supplier<? extends Iterable<T>> rows;
  private final Function<T, String[]> labels;

  /**
   * @param labelNames the labels of every metric (none for a single row); not "namespace", which
   *     Prometheus sets to the Kubernetes namespace on scrape
   * @param rows the rows now, read at each scrape
   * @param labels a row's label values, in {@code labelNames} order
   */
  ScrapedMetrics(
      PrometheusRegistry registry,
      String[] labelNames,
      Supplier<? extends Iterable<T>> rows,
      Function<T, String[]> labels) {
    this.registry = registry;
    this.labelNames = labelNames.clone();
    this.rows = rows;
    this.labels = labels;
  }

  /** Metrics of one unlabelled row, e.g. broker-wide counters. */
  static <T> ScrapedMetrics<T> single(PrometheusRegistry registry, T row) {
    return new ScrapedMetrics<>(registry, new String[0], () -> List.of(row), r -> new String[0]);
  }

  void counter(String name, String help, ToDoubleFunction<T> value) {
    CounterWithCallback.Builder builder = CounterWithCallback.builder().name(name).help(help);
    if (labelNames.length > 0) {
      builder.labelNames(labelNames);
    }
    builder
        .callback(
            callback -> {
              for (T row : rows.get()) {
                callback.call(value.applyAsDouble(row), labels.apply(row));
              }
            })
        .register(registry);
  }

  void gauge(String name, String help, ToDoubleFunction<T> value) {
    GaugeWithCallback.Builder builder = GaugeWithCallback.builder().name(name).help(help);
    if (labelNames.length > 0) {
      builder.labelNames(labelNames);
    }
    builder
        .callback(
            callback -> {
              for (T row : rows.get()) {
                callback.call(value.applyAsDouble(row), labels.apply(row));
              }
            })
        .register(registry);
  }
}
