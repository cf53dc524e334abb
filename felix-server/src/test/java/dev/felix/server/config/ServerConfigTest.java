package dev.felix.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsMatchTheDocumentedEmbeddedSetUp() {
    ServerConfig config = ServerConfig.load(Map.of());

    assertThat(config.network().quicBind().getPort()).isEqualTo(5000);
    assertThat(config.network().httpBind().getPort()).isEqualTo(8080);
    assertThat(config.network().quicBind().getAddress().isAnyLocalAddress()).isTrue();
    assertThat(config.storage().dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.tls().isDevelopment()).isTrue();
    assertThat(config.identity().region()).isEqualTo("local");
    assertThat(config.identity().serverId()).isNotBlank();
    assertThat(config.logging().json()).isFalse();
    assertThat(config.logging().rootLevel()).isEqualTo("info");
    assertThat(config.shutdown().drainTimeoutMs()).isEqualTo(10_000);
  }

  @Test
  void environmentOverridesTheFileWhichOverridesDefaults() throws Exception {
    Path file = dir.resolve("felix.yaml");
    Files.writeString(
        file,
        "quic:\n  bind: 127.0.0.1:6000\nhttp:\n  bind: 127.0.0.1:9000\nlog:\n  format: json\n");

    ServerConfig config =
        ServerConfig.load(
            Map.of("FELIX_CONFIG_FILE", file.toString(), "FELIX_QUIC_BIND", "127.0.0.1:7000"));

    assertThat(config.network().quicBind().getPort()).isEqualTo(7000);
    assertThat(config.network().httpBind().getPort()).isEqualTo(9000);
    assertThat(config.logging().json()).isTrue();
  }

  @Test
  void invalidValuesNameTheSetting() {
    assertThatThrownBy(() -> ServerConfig.load(Map.of("FELIX_QUIC_BIND", "localhost")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("FELIX_QUIC_BIND")
        .hasMessageContaining("quic.bind")
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> ServerConfig.load(Map.of("FELIX_HTTP_BIND", "0.0.0.0:70000")))
        .hasMessageContaining("FELIX_HTTP_BIND")
        .hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(() -> ServerConfig.load(Map.of("FELIX_LOG_FORMAT", "xml")))
        .hasMessageContaining("FELIX_LOG_FORMAT");
    assertThatThrownBy(() -> ServerConfig.load(Map.of("FELIX_LOG_LEVELS", "io.netty")))
        .hasMessageContaining("logger=level");
    assertThatThrownBy(() -> ServerConfig.load(Map.of("FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS", "-1")))
        .hasMessageContaining("FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS");
    assertThatThrownBy(() -> ServerConfig.load(Map.of("FELIX_REGION", "eu west")))
        .hasMessageContaining("FELIX_REGION");
    assertThatThrownBy(() -> ServerConfig.load(Map.of("FELIX_TLS_CERT", "/tmp/cert.pem")))
        .hasMessageContaining("FELIX_TLS_KEY");
  }

  @Test
  void unknownFileKeysAreRejectedNotIgnored() throws Exception {
    Path file = dir.resolve("felix.yaml");
    Files.writeString(file, "quic:\n  bnid: 127.0.0.1:6000\n");

    assertThatThrownBy(() -> ServerConfig.load(Map.of("FELIX_CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("quic.bnid");
  }

  @Test
  void aFileThatIsNotAMappingIsRejected() throws Exception {
    Path file = dir.resolve("felix.yaml");
    Files.writeString(file, "- just\n- a list\n");

    assertThatThrownBy(() -> ServerConfig.load(Map.of("FELIX_CONFIG_FILE", file.toString())))
        .hasMessageContaining("mapping");
  }

  @Test
  void describeListsEverySettingWithItsOrigin() {
    SettingsSource source =
        SettingsSource.of(Map.of("FELIX_REGION", "eu-central"), Map.of("log.level", "debug"));

    assertThat(ServerConfig.describe(source))
        .hasSize(Settings.ALL.size())
        .contains("FELIX_REGION=eu-central (env)", "FELIX_LOG_LEVEL=debug (file)")
        .contains("FELIX_QUIC_BIND=0.0.0.0:5000 (default)");
  }

  @Test
  void secretsAreMaskedInErrors() {
    Setting secret = Setting.secret("FELIX_TEST_TOKEN", "test.token", "", "a secret");

    assertThat(ConfigurationException.invalid(secret, "hunter2", "is wrong").getMessage())
        .doesNotContain("hunter2")
        .contains("***");
  }
}
