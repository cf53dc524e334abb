package dev.felix.systemtest;

import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.server.FelixServer;
import dev.felix.server.config.ServerConfig;
import dev.felix.transport.DevelopmentCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@link FelixServer} for system tests: QUIC and HTTP on loopback port 0, a fresh data
 * directory (deleted afterwards), the development certificate, and clients that trust its CA.
 *
 * <p>Register it as a JUnit 5 extension. In a {@code static} field one server serves every test of
 * the class (servers cost CPU, which the test machine lacks; tests then use {@link #uniqueStream}
 * names); in an instance field each test gets its own. Or start one inline with {@link #start(Map)}
 * and close it. Clients made with {@link #connect} are closed after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedFelix FELIX = EmbeddedFelix.with("FELIX_STREAM_SHARDS", "4");
 * }</pre>
 */
final class EmbeddedFelix
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AutoCloseable {
  private static final AtomicInteger STREAMS = new AtomicInteger();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final Map<String, String> settings;
  private final List<AutoCloseable> perTest = new CopyOnWriteArrayList<>();
  private Path dataDir;
  private FelixServer server;
  private boolean perClass;

  private EmbeddedFelix(Map<String, String> settings) {
    this.settings = Map.copyOf(settings);
  }

  /** A server with the default settings. */
  static EmbeddedFelix withDefaults() {
    return new EmbeddedFelix(Map.of());
  }

  /** A server with extra settings given as {@code FELIX_NAME, value} pairs. */
  static EmbeddedFelix with(String... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("settings come in name, value pairs");
    }
    Map<String, String> extra = new HashMap<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      extra.put(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return new EmbeddedFelix(extra);
  }

  /** Starts a server now, outside the extension life cycle; close it when done. */
  static EmbeddedFelix start(Map<String, String> settings) {
    EmbeddedFelix felix = new EmbeddedFelix(settings);
    felix.startServer();
    return felix;
  }

  // ---- JUnit life cycle ----

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    startServer();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (server == null) {
      startServer();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (perClass) {
      closeAll(perTest);
    } else {
      close();
    }
  }

  // ---- server ----

  private void startServer() {
    try {
      dataDir = Files.createTempDirectory("felix-system-test-");
      server = FelixServer.start(ServerConfig.load(environment(0)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, String> environment(int quicPort) {
    Map<String, String> env = new HashMap<>();
    env.put("FELIX_DATA_DIR", dataDir.toString());
    env.put("FELIX_QUIC_BIND", "127.0.0.1:" + quicPort);
    env.put("FELIX_HTTP_BIND", "127.0.0.1:0");
    env.put("FELIX_SERVER_ID", "system-test");
    // Teardown must not wait the 10 s default for a connection a test left open on purpose.
    env.put("FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS", "2000");
    env.putAll(settings);
    return env;
  }

  /**
   * Shuts the server down gracefully (GoAway, drain) and starts a new one on the same QUIC port and
   * data directory, so clients reconnect to the same address and trust the same CA. The memory log
   * does not survive: the new server starts with no streams.
   */
  void restart() {
    int port = server.quicAddress().getPort();
    server.shutdown();
    server = null;
    try {
      server = FelixServer.start(ServerConfig.load(environment(port)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  FelixServer server() {
    return server;
  }

  Path dataDir() {
    return dataDir;
  }

  /** {@code 127.0.0.1:port} of the QUIC listener. */
  String quicAddress() {
    return "127.0.0.1:" + server.quicAddress().getPort();
  }

  InetSocketAddress quicSocketAddress() {
    return server.quicAddress();
  }

  /** The development CA the server wrote; clients trust it (and nothing else). */
  Path caFile() {
    return DevelopmentCertificates.caCertificateFile(dataDir);
  }

  /** A stream name no other test uses. */
  static String uniqueStream(String prefix) {
    return prefix + "-" + STREAMS.incrementAndGet();
  }

  // ---- clients ----

  /** Options for a client of this server, trusting its development CA only. */
  FelixOptions.Builder clientOptions() {
    return FelixOptions.builder()
        .serverAddress(quicAddress())
        .caFile(caFile())
        .trustSystemStore(false)
        .clientName("system-test");
  }

  /** A connected client with the default options; closed after the test. */
  FelixClient connect() {
    return connect(UnaryOperator.identity());
  }

  /** A connected client with adjusted options; closed after the test. */
  FelixClient connect(UnaryOperator<FelixOptions.Builder> adjust) {
    return closeAfterTest(Felix.connect(adjust.apply(clientOptions()).build()));
  }

  /** Closes {@code resource} after the current test (before the server stops). */
  <T extends AutoCloseable> T closeAfterTest(T resource) {
    perTest.add(resource);
    return resource;
  }

  // ---- HTTP ----

  /** GET {@code path} on the HTTP endpoint; the status code and body. */
  HttpResponse<String> get(String path) {
    return get(server.httpAddress(), path);
  }

  static HttpResponse<String> get(InetSocketAddress http, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getPort() + path))
            .timeout(Duration.ofSeconds(20))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A scrape of {@code /metrics}. */
  Metrics metrics() {
    HttpResponse<String> response = get("/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + response.statusCode());
    }
    return new Metrics(response.body());
  }

  // ---- closing ----

  /** Closes the clients, stops the server and deletes the data directory. Idempotent. */
  @Override
  public void close() {
    try {
      closeAll(perTest);
    } finally {
      if (server != null) {
        server.shutdown();
        server = null;
      }
      if (dataDir != null) {
        deleteRecursively(dataDir);
        dataDir = null;
      }
    }
  }

  private static void closeAll(List<AutoCloseable> resources) {
    List<AutoCloseable> closing = new ArrayList<>(resources);
    resources.clear();
    RuntimeException failure = null;
    for (int i = closing.size() - 1; i >= 0; i--) {
      try {
        closing.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing a test resource failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
