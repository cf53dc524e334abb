package dev.felix.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP side of the server: {@code /live} (the process answers and its {@link LivenessCheck}
 * finds nothing wrong, else 503 with the problem), {@code /ready} (200 only while {@link Readiness}
 * is READY, else 503 with the state) and {@code /metrics} (Prometheus text format). A JDK {@link
 * HttpServer} with two worker threads: probes and scrapes are rare and must not compete with the
 * data path for CPU.
 */
public final class HttpEndpoints implements AutoCloseable {
  /** What {@code /live} asks once the server has parts that can get stuck. */
  @FunctionalInterface
  public interface LivenessCheck {
    /** Why the server is not live, or null when it is. Called on an HTTP worker, per probe. */
    String problem();
  }

  private final HttpServer server;
  private final ExecutorService workers;
  private volatile LivenessCheck liveness = () -> null;

  private HttpEndpoints(HttpServer server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
  }

  /** Binds and starts serving. */
  public static HttpEndpoints start(
      InetSocketAddress bind, Readiness readiness, PrometheusRegistry registry) throws IOException {
    HttpServer server = HttpServer.create(bind, 64);
    ExecutorService workers =
        Executors.newFixedThreadPool(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, "felix-http");
              thread.setDaemon(true);
              return thread;
            });
    HttpEndpoints endpoints = new HttpEndpoints(server, workers);
    server.createContext("/live", endpoints::live);
    server.createContext(
        "/ready",
        exchange -> {
          Readiness.State state = readiness.state();
          respond(
              exchange,
              readiness.isReady() ? 200 : 503,
              state.name().toLowerCase(Locale.ROOT) + "\n");
        });
    server.createContext("/metrics", new MetricsHandler(registry));
    server.setExecutor(workers);
    server.start();
    return endpoints;
  }

  /** From now on {@code /live} answers 503 with the problem {@code check} reports. */
  public void liveness(LivenessCheck check) {
    liveness = check;
  }

  private void live(HttpExchange exchange) throws IOException {
    String problem = liveness.problem();
    if (problem == null) {
      respond(exchange, 200, "live\n");
    } else {
      respond(exchange, 503, problem + "\n");
    }
  }

  /**
   * Serves {@code handler} under {@code path} from now on (the admin API is added once the broker
   * it manages exists; the probes are up before that).
   */
  public void route(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  /** The bound address (useful when binding port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
