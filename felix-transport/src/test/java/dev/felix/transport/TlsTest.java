package dev.felix.transport;

import static dev.felix.transport.QuicTests.await;
import static dev.felix.transport.QuicTests.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.transport.internal.CertificateIssuer;
import dev.felix.transport.internal.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS over real QUIC: certificates, trust, hostname verification and ALPN. */
class TlsTest {
  @TempDir static Path dataDir;
  static final Echo echo = new Echo();
  static TransportServer server;
  static int port;

  @BeforeAll
  static void startServer() {
    server = QuicTests.devServer(dataDir, TransportConfig.defaults(), echo);
    port = server.localAddress().getPort();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void developmentCertificateIsTrustedThroughTheWrittenCaFile() throws Exception {
    Path ca = dataDir.resolve("tls/dev-ca.pem");
    assertThat(ca).isEqualTo(DevelopmentCertificates.caCertificateFile(dataDir)).isRegularFile();
    try (TransportClient client =
        TransportClient.create(QuicTests.config().build(), ClientTlsConfig.caFile(ca))) {
      for (String host : List.of("localhost", "127.0.0.1")) {
        ClientSide side = new ClientSide();
        TransportConnection connection = await(client.connect(host, port, side));
        QuicTests.roundTrip(connection, side, 1);
      }
    }
  }

  @Test
  void systemTrustPlusDevelopmentCaConnects() throws Exception {
    try (TransportClient client =
        TransportClient.create(
            QuicTests.config().build(),
            ClientTlsConfig.systemTrustAnd(DevelopmentCertificates.caCertificateFile(dataDir)))) {
      ClientSide side = new ClientSide();
      QuicTests.roundTrip(await(client.connect("localhost", port, side)), side, 2);
    }
  }

  @Test
  void clientTrustingAnotherCaIsRejected(@TempDir Path otherDir) throws Exception {
    DevelopmentCertificates.ensure(otherDir);
    try (TransportClient client = QuicTests.devClient(otherDir, QuicTests.config().build())) {
      Throwable error = failure(client.connect("localhost", port, new ClientSide()));
      assertThat(error).isInstanceOf(AuthException.class);
      assertThat(((FelixException) error).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(error.getMessage()).contains("TLS handshake", "trust anchors");
    }
  }

  @Test
  void systemTrustStoreAloneRejectsTheDevelopmentCertificate() throws Exception {
    try (TransportClient client =
        TransportClient.create(QuicTests.config().build(), ClientTlsConfig.systemTrust())) {
      assertThat(failure(client.connect("localhost", port, new ClientSide())))
          .isInstanceOf(AuthException.class);
    }
  }

  @Test
  void insecureClientConnectsWithoutVerification() throws Exception {
    try (TransportClient client =
        TransportClient.create(
            QuicTests.config().build(), ClientTlsConfig.insecureSkipVerification())) {
      ClientSide side = new ClientSide();
      QuicTests.roundTrip(await(client.connect("127.0.0.1", port, side)), side, 3);
    }
  }

  @Test
  void alpnMismatchIsRejected() throws Exception {
    int before = echo.connections.size();
    try (TransportClient client =
        new TransportClient(
            QuicTests.config().build(),
            ClientTlsConfig.caFile(DevelopmentCertificates.caCertificateFile(dataDir)),
            "felix/0")) {
      Throwable error = failure(client.connect("localhost", port, new ClientSide()));
      assertThat(error).isInstanceOf(AuthException.class).hasMessageContaining("TLS alert 120");
    }
    assertThat(echo.connections).hasSize(before);
  }

  @Test
  void certificateForAnotherHostNameIsRejected(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir);
    Path ca = dir.resolve("ca.pem");
    Path chain = dir.resolve("server.pem");
    Path key = dir.resolve("server-key.pem");
    issue(ca, chain, key, "EC", "EC", List.of("db.example"), List.of());
    try (TransportServer other =
            TransportServer.start(
                QuicTests.loopback(),
                TransportConfig.defaults(),
                ServerTlsConfig.fromPemFiles(chain, key),
                new Echo());
        TransportClient client =
            TransportClient.create(QuicTests.config().build(), ClientTlsConfig.caFile(ca))) {
      Throwable error =
          failure(client.connect("127.0.0.1", other.localAddress().getPort(), new ClientSide()));
      assertThat(error)
          .isInstanceOf(AuthException.class)
          .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
    }
  }

  @Test
  void rsaServerCertificateAndPkcs8KeyFromPemFiles(@TempDir Path dir) throws Exception {
    Path ca = dir.resolve("ca.pem");
    Path chain = dir.resolve("server.pem");
    Path key = dir.resolve("server-key.pem");
    issue(ca, chain, key, "EC", "RSA", List.of("localhost"), List.of("127.0.0.1"));
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    try (TransportServer other =
            TransportServer.start(
                QuicTests.loopback(),
                TransportConfig.defaults(),
                ServerTlsConfig.fromPemFiles(chain, key),
                new Echo());
        TransportClient client =
            TransportClient.create(QuicTests.config().build(), ClientTlsConfig.caFile(ca))) {
      ClientSide side = new ClientSide();
      QuicTests.roundTrip(
          await(client.connect("127.0.0.1", other.localAddress().getPort(), side)), side, 4);
    }
  }

  static void issue(
      Path ca,
      Path chain,
      Path key,
      String caAlgorithm,
      String serverAlgorithm,
      List<String> dns,
      List<String> ips)
      throws Exception {
    Instant now = Instant.now();
    Instant notAfter = now.plus(Duration.ofDays(1));
    CertificateIssuer.Issued authority =
        CertificateIssuer.certificateAuthority(
            "test CA", caAlgorithm, now.minusSeconds(60), notAfter);
    CertificateIssuer.Issued server =
        CertificateIssuer.serverCertificate(
            authority, serverAlgorithm, dns, ips, now.minusSeconds(60), notAfter);
    PemFiles.writeCertificates(ca, List.of(authority.certificate()));
    PemFiles.writeCertificates(chain, List.of(server.certificate()));
    PemFiles.writePrivateKey(key, server.keyPair().getPrivate());
  }
}
