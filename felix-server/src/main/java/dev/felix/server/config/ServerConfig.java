package dev.felix.server.config;

import dev.felix.broker.BrokerConfig;
import dev.felix.server.security.SecuritySettings;
import dev.felix.server.session.SessionLimits;
import dev.felix.transport.ClientAuthMode;
import dev.felix.transport.TransportConfig;
import dev.felix.wire.WireLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's resolved configuration, split by area, validated once before anything starts
 * (Aeron's context pattern). Each area is a small record; {@link #load} is the only way in.
 *
 * @param network listener addresses
 * @param tls certificate files, or none for a development certificate
 * @param storage data directory
 * @param identity server id and sovereign region
 * @param logging log format and levels
 * @param shutdown drain bound on SIGTERM
 * @param transport QUIC settings
 * @param broker broker and default stream settings
 * @param session per-connection limits
 * @param security authentication, authorization and audit
 */
public record ServerConfig(
    Network network,
    Tls tls,
    Storage storage,
    Identity identity,
    Logging logging,
    Shutdown shutdown,
    TransportConfig transport,
    BrokerConfig broker,
    SessionLimits session,
    SecuritySettings security) {

  /** Where the server listens. */
  public record Network(InetSocketAddress quicBind, InetSocketAddress httpBind) {}

  /**
   * Certificate and key files; both null means "generate a development certificate".
   *
   * @param certificateChain PEM certificate chain, or null
   * @param privateKey PEM PKCS#8 private key, or null
   * @param clientAuth whether clients are asked for certificates (mTLS)
   * @param clientCa PEM CA of client certificates; null exactly when {@code clientAuth} is NONE
   */
  public record Tls(
      Path certificateChain, Path privateKey, ClientAuthMode clientAuth, Path clientCa) {
    public boolean isDevelopment() {
      return certificateChain == null;
    }
  }

  /** Where data lives. */
  public record Storage(Path dataDir) {}

  /** Who this broker is: id and sovereign region, both announced in HelloOk. */
  public record Identity(String serverId, String region) {}

  /**
   * Logging.
   *
   * @param json JSON lines instead of text
   * @param rootLevel root logger level
   * @param levels per-logger levels
   */
  /**
   * Log output.
   *
   * @param json JSON lines instead of text
   * @param rootLevel root logger level
   * @param levels per-logger levels
   * @param stderr write to standard error instead of standard output
   */
  public record Logging(
      boolean json, String rootLevel, Map<String, String> levels, boolean stderr) {
    public Logging {
      levels = Map.copyOf(levels);
    }
  }

  /** Graceful shutdown bound. */
  public record Shutdown(long drainTimeoutMs) {}

  /** Resolves and validates every setting from the environment and the optional YAML file. */
  public static ServerConfig load(Map<String, String> environment) {
    return from(SettingsSource.load(environment));
  }

  public static ServerConfig from(SettingsSource source) {
    Network network =
        new Network(
            ValueParsers.address(Settings.QUIC_BIND, source.raw(Settings.QUIC_BIND)),
            ValueParsers.address(Settings.HTTP_BIND, source.raw(Settings.HTTP_BIND)));
    WireLimits wire = ComponentSettings.wireLimits(source);
    TransportConfig transport = ComponentSettings.transport(source, wire);
    Tls tls = tls(source);
    Path dataDir = ValueParsers.path(Settings.DATA_DIR, source.raw(Settings.DATA_DIR));
    return new ServerConfig(
        network,
        tls,
        new Storage(dataDir),
        identity(source),
        new Logging(
            ValueParsers.oneOf(
                    Settings.LOG_FORMAT, source.raw(Settings.LOG_FORMAT), Set.of("text", "json"))
                .equals("json"),
            ValueParsers.level(Settings.LOG_LEVEL, source.raw(Settings.LOG_LEVEL)),
            ValueParsers.levels(Settings.LOG_LEVELS, source.raw(Settings.LOG_LEVELS)),
            ValueParsers.oneOf(
                    Settings.LOG_TARGET,
                    source.raw(Settings.LOG_TARGET),
                    Set.of("stdout", "stderr"))
                .equals("stderr")),
        new Shutdown(
            ValueParsers.longInRange(
                Settings.SHUTDOWN_DRAIN_TIMEOUT_MS,
                source.raw(Settings.SHUTDOWN_DRAIN_TIMEOUT_MS),
                0,
                600_000)),
        transport,
        ComponentSettings.broker(source, wire, dataDir),
        ComponentSettings.session(source, transport),
        SecurityConfigs.security(source, tls.clientAuth()));
  }

  /**
   * One line per setting with its effective value and origin, secrets masked: logged at start so
   * that an operator sees exactly what the server runs with.
   */
  public static List<String> describe(SettingsSource source) {
    List<String> lines = new ArrayList<>();
    for (Setting setting : Settings.ALL) {
      String value = source.raw(setting);
      String shown = value == null ? "(unset)" : setting.secret() ? "***" : value;
      lines.add(setting.envVar() + "=" + shown + " (" + source.origin(setting) + ")");
    }
    return lines;
  }

  private static Tls tls(SettingsSource source) {
    String cert = source.raw(Settings.TLS_CERT);
    String key = source.raw(Settings.TLS_KEY);
    if ((cert == null) != (key == null)) {
      throw new ConfigurationException(
          "FELIX_TLS_CERT (tls.cert) and FELIX_TLS_KEY (tls.key) must be set together or not at all");
    }
    ClientAuthMode clientAuth = SecurityConfigs.clientAuth(source);
    Path clientCa = SecurityConfigs.clientCa(source, clientAuth);
    if (cert == null) {
      return new Tls(null, null, clientAuth, clientCa);
    }
    return new Tls(
        ValueParsers.path(Settings.TLS_CERT, cert),
        ValueParsers.path(Settings.TLS_KEY, key),
        clientAuth,
        clientCa);
  }

  private static Identity identity(SettingsSource source) {
    String serverId = source.raw(Settings.SERVER_ID);
    if (serverId == null || serverId.isBlank()) {
      serverId = hostName();
    }
    String region = source.raw(Settings.REGION);
    if (region == null || !region.matches("[A-Za-z0-9._-]{1,64}")) {
      throw ConfigurationException.invalid(
          Settings.REGION, region, "must be 1-64 characters of [A-Za-z0-9._-]");
    }
    if (serverId.length() > 255) {
      throw ConfigurationException.invalid(
          Settings.SERVER_ID, serverId, "must be at most 255 characters");
    }
    return new Identity(serverId, region);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "felix";
    }
  }
}
