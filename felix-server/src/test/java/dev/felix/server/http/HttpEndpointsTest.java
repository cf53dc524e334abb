package dev.felix.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void probesFollowTheLifecycleAndMetricsAreScraped() throws Exception {
    Readiness readiness = new Readiness();
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter publishes =
        Counter.builder().name("felix_test_publish_total").help("test counter").register(registry);
    publishes.inc(3);

    try (HttpEndpoints endpoints =
        HttpEndpoints.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), readiness, registry)) {
      String base = "http://127.0.0.1:" + endpoints.address().getPort();

      assertThat(get(base + "/live").statusCode()).isEqualTo(200);
      HttpResponse<String> starting = get(base + "/ready");
      assertThat(starting.statusCode()).isEqualTo(503);
      assertThat(starting.body()).contains("starting");

      readiness.advanceTo(Readiness.State.READY);
      assertThat(get(base + "/ready").statusCode()).isEqualTo(200);

      readiness.advanceTo(Readiness.State.DRAINING);
      readiness.advanceTo(Readiness.State.READY);
      HttpResponse<String> draining = get(base + "/ready");
      assertThat(draining.statusCode()).isEqualTo(503);
      assertThat(draining.body()).contains("draining");
      assertThat(get(base + "/live").statusCode()).isEqualTo(200);

      HttpResponse<String> metrics = get(base + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("felix_test_publish_total 3.0");
    }
  }

  @Test
  void liveAnswers503WithTheProblemWhileTheCheckReportsOne() throws Exception {
    AtomicReference<String> problem = new AtomicReference<>();
    try (HttpEndpoints endpoints =
        HttpEndpoints.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            new Readiness(),
            new PrometheusRegistry())) {
      String base = "http://127.0.0.1:" + endpoints.address().getPort();
      endpoints.liveness(problem::get);
      assertThat(get(base + "/live").statusCode()).isEqualTo(200);

      problem.set("1 QUIC event loop(s) did not run a task within 1000 ms");
      HttpResponse<String> stuck = get(base + "/live");
      assertThat(stuck.statusCode()).isEqualTo(503);
      assertThat(stuck.body())
          .isEqualTo("1 QUIC event loop(s) did not run a task within 1000 ms\n");

      problem.set(null);
      assertThat(get(base + "/live").statusCode()).as("live again").isEqualTo(200);
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
