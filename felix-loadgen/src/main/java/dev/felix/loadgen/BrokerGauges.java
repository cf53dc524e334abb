package dev.felix.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Memory and CPU of a broker process, read from its Prometheus endpoint ({@code /metrics}: the
 * standard {@code process_*} and {@code jvm_memory_*} series every Felix server exports), so that a
 * scale run reports the broker alone, not the load generator sharing the machine.
 */
public final class BrokerGauges {
  /**
   * One reading; a value is -1 when the endpoint did not report it.
   *
   * @param heapMaxBytes the JVM's maximum heap (-Xmx or its default)
   */
  public record Sample(long rssBytes, long heapUsedBytes, long heapMaxBytes, double cpuSeconds) {}

  private final URI metrics;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** {@code hostAndPort} of the broker's HTTP listener. */
  public BrokerGauges(String hostAndPort) {
    this.metrics = URI.create("http://" + hostAndPort + "/metrics");
  }

  public Sample sample() throws IOException, InterruptedException {
    return parse(fetch());
  }

  private String fetch() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(metrics + " answered " + response.statusCode());
    }
    return response.body();
  }

  /**
   * The values of unlabelled series ({@code felix_broker_stream_memory_bytes}) from one reading of
   * the endpoint, in the order asked; NaN for a series it does not report.
   */
  public double[] read(String... series) throws IOException, InterruptedException {
    String exposition = fetch();
    double[] values = new double[series.length];
    for (int i = 0; i < series.length; i++) {
      values[i] = valueOf(exposition, series[i]);
    }
    return values;
  }

  static double valueOf(String exposition, String series) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(series + " ")) {
        return value(line);
      }
    }
    return Double.NaN;
  }

  /** Picks the series out of a Prometheus text exposition. */
  static Sample parse(String exposition) {
    long rss = -1;
    long heap = -1;
    long heapMax = -1;
    double cpu = -1;
    for (String line : exposition.split("\n")) {
      if (line.startsWith("process_resident_memory_bytes ")) {
        rss = (long) value(line);
      } else if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        heap = Math.max(heap, 0) + (long) value(line);
      } else if (line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\"")) {
        heapMax = (long) value(line);
      } else if (line.startsWith("process_cpu_seconds_total ")) {
        cpu = value(line);
      }
    }
    return new Sample(rss, heap, heapMax, cpu);
  }

  private static double value(String line) {
    // "name value" or "name{labels} value [timestamp]"; label values may contain spaces.
    int labelsEnd = line.lastIndexOf('}');
    String rest =
        labelsEnd >= 0 ? line.substring(labelsEnd + 1) : line.substring(line.indexOf(' ') + 1);
    return Double.parseDouble(rest.trim().split(" ")[0]);
  }
}
