package dev.felix.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.transport.internal.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Development certificate files: generation, reuse, renewal. No sockets. */
class DevelopmentCertificatesTest {
  @TempDir Path dataDir;

  @Test
  void generatesACaAndALocalhostCertificateUnderTheDataDirectory() throws Exception {
    DevelopmentCertificates.Material material = DevelopmentCertificates.ensure(dataDir);
    assertThat(material.generated()).isTrue();
    assertThat(material.caCertificateFile()).isEqualTo(dataDir.resolve("tls/dev-ca.pem"));
    X509Certificate ca = PemFiles.readCertificates(material.caCertificateFile()).get(0);
    X509Certificate server = PemFiles.readCertificates(material.certificateChainFile()).get(0);
    server.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getSubjectAlternativeNames())
        .extracting(name -> (Object) name.get(1))
        .containsExactlyInAnyOrder((Object) "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    PemFiles.requireMatching(
        PemFiles.readPrivateKey(material.privateKeyFile()),
        server,
        material.privateKeyFile(),
        material.certificateChainFile());
    assertThat(Files.getPosixFilePermissions(material.privateKeyFile()))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    // The CA's private key never touches the disk.
    try (var files = Files.list(dataDir.resolve("tls"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("dev-ca.pem", "dev-server.pem", "dev-server-key.pem");
    }
  }

  @Test
  void reusesValidFilesOnTheNextStart() throws Exception {
    DevelopmentCertificates.ensure(dataDir);
    String ca = Files.readString(DevelopmentCertificates.caCertificateFile(dataDir));
    DevelopmentCertificates.Material again = DevelopmentCertificates.ensure(dataDir);
    assertThat(again.generated()).isFalse();
    assertThat(Files.readString(again.caCertificateFile())).isEqualTo(ca);
  }

  @Test
  void renewsFilesThatAreAboutToExpire() throws Exception {
    DevelopmentCertificates.Material first = DevelopmentCertificates.ensure(dataDir);
    Instant almostExpired = first.notAfter().minus(Duration.ofHours(1));
    DevelopmentCertificates.Material renewed =
        DevelopmentCertificates.ensure(dataDir, Clock.fixed(almostExpired, ZoneOffset.UTC));
    assertThat(renewed.generated()).isTrue();
    assertThat(renewed.notAfter()).isAfter(first.notAfter());
  }

  @Test
  void replacesDamagedFiles() throws Exception {
    DevelopmentCertificates.ensure(dataDir);
    Files.writeString(dataDir.resolve("tls/dev-server-key.pem"), "not a key");
    assertThat(DevelopmentCertificates.ensure(dataDir).generated()).isTrue();
    List<X509Certificate> chain = PemFiles.readCertificates(dataDir.resolve("tls/dev-server.pem"));
    assertThat(chain).hasSize(1);
  }
}
