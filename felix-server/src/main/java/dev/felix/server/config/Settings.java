package dev.felix.server.config;

import java.util.List;

/**
 * The catalogue of every setting the server reads, by area. Adding a setting here without a row in
 * {@code docs/configuration.md} (or the other way round) fails {@code ConfigurationDocTest}.
 */
public final class Settings {
  public static final Setting CONFIG_FILE =
      new Setting(
          "FELIX_CONFIG_FILE",
          "",
          null,
          "path",
          "YAML file with settings; environment variables override it (environment only)",
          false);

  public static final Setting QUIC_BIND =
      Setting.of(
          "FELIX_QUIC_BIND",
          "quic.bind",
          "0.0.0.0:5000",
          "host:port",
          "UDP address of the QUIC listener");
  public static final Setting HTTP_BIND =
      Setting.of(
          "FELIX_HTTP_BIND",
          "http.bind",
          "0.0.0.0:8080",
          "host:port",
          "TCP address of the HTTP endpoints (/live, /ready, /metrics)");
  public static final Setting TLS_CERT =
      Setting.of(
          "FELIX_TLS_CERT",
          "tls.cert",
          null,
          "path",
          "PEM certificate chain; unset: a development certificate is generated under the data directory");
  public static final Setting TLS_KEY =
      Setting.of(
          "FELIX_TLS_KEY", "tls.key", null, "path", "PEM private key (PKCS#8) of FELIX_TLS_CERT");

  public static final Setting DATA_DIR =
      Setting.of("FELIX_DATA_DIR", "storage.data_dir", "./data", "path", "data directory");

  public static final Setting SERVER_ID =
      Setting.of(
          "FELIX_SERVER_ID",
          "server.id",
          null,
          "",
          "this broker's id, sent in HelloOk; unset: the host name");
  public static final Setting REGION =
      Setting.of(
          "FELIX_REGION",
          "server.region",
          "local",
          "",
          "sovereign region of this cluster, sent in HelloOk; data never leaves it");

  public static final Setting LOG_FORMAT =
      Setting.of("FELIX_LOG_FORMAT", "log.format", "text", "text|json", "log line format");
  public static final Setting LOG_LEVEL =
      Setting.of(
          "FELIX_LOG_LEVEL", "log.level", "info", "trace|debug|info|warn|error", "root log level");
  public static final Setting LOG_LEVELS =
      Setting.of(
          "FELIX_LOG_LEVELS",
          "log.levels",
          "",
          "logger=level,...",
          "per-package levels, e.g. dev.felix.broker=debug,io.netty=warn");

  public static final Setting SHUTDOWN_DRAIN_TIMEOUT_MS =
      Setting.of(
          "FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS",
          "shutdown.drain_timeout_ms",
          "10000",
          "ms",
          "on SIGTERM, how long in-flight work may take to drain before connections close");

  public static final List<Setting> ALL =
      List.of(
          CONFIG_FILE,
          QUIC_BIND,
          HTTP_BIND,
          TLS_CERT,
          TLS_KEY,
          DATA_DIR,
          SERVER_ID,
          REGION,
          LOG_FORMAT,
          LOG_LEVEL,
          LOG_LEVELS,
          SHUTDOWN_DRAIN_TIMEOUT_MS);

  private Settings() {}
}
