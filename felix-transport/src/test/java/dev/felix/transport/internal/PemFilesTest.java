package dev.felix.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
  @TempDir Path dir;

  @Test
  void readsPkcs8KeysOfBothTypesAndChecksTheyMatchTheCertificate() throws Exception {
    for (String algorithm : List.of("EC", "RSA")) {
      Instant now = Instant.now();
      CertificateIssuer.Issued ca =
          CertificateIssuer.certificateAuthority(
              "ca", algorithm, now, now.plus(Duration.ofDays(1)));
      Path key = dir.resolve(algorithm + "-key.pem");
      Path cert = dir.resolve(algorithm + ".pem");
      PemFiles.writePrivateKey(key, ca.keyPair().getPrivate());
      PemFiles.writeCertificates(cert, List.of(ca.certificate()));
      assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
      var read = PemFiles.readPrivateKey(key);
      assertThat(read.getAlgorithm()).isEqualTo(algorithm);
      PemFiles.requireMatching(read, PemFiles.readCertificates(cert).get(0), key, cert);

      KeyPair other = CertificateIssuer.newKeyPair(algorithm);
      Path otherKey = dir.resolve(algorithm + "-other.pem");
      PemFiles.writePrivateKey(otherKey, other.getPrivate());
      assertThatThrownBy(
              () ->
                  PemFiles.requireMatching(
                      PemFiles.readPrivateKey(otherKey), ca.certificate(), otherKey, cert))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not belong");
    }
  }

  @Test
  void errorsNameTheFile() throws Exception {
    Path empty = dir.resolve("empty.pem");
    Files.writeString(empty, "nothing here\n");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(empty)).hasMessageContaining(empty.toString());
    assertThatThrownBy(() -> PemFiles.readCertificates(empty))
        .hasMessageContaining(empty.toString());
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> PemFiles.readCertificates(missing))
        .hasMessageContaining(missing.toString());
  }
}
