package dev.felix.transport;

import java.nio.file.Path;
import java.util.List;

/**
 * How a client verifies the server's certificate. The certificate chain must lead to a trusted CA
 * and name the host the client connected to (DNS name, or IP address when connecting by address):
 * hostname verification is always on unless verification is skipped entirely with {@link
 * #insecureSkipVerification()}.
 *
 * @param trustSystemStore trust the JDK's default trust store (cacerts, or {@code
 *     javax.net.ssl.trustStore})
 * @param caFiles extra PEM files whose certificates are trusted as CAs
 * @param insecure skip all verification (logged as a warning at every connect)
 */
public record ClientTlsConfig(boolean trustSystemStore, List<Path> caFiles, boolean insecure) {

  public ClientTlsConfig {
    caFiles = List.copyOf(caFiles);
    if (insecure && (trustSystemStore || !caFiles.isEmpty())) {
      throw new IllegalArgumentException("insecure TLS takes no trust settings");
    }
    if (!insecure && !trustSystemStore && caFiles.isEmpty()) {
      throw new IllegalArgumentException("TLS verification needs the system trust store or a CA");
    }
  }

  /** Verify against the system trust store: the default. */
  public static ClientTlsConfig systemTrust() {
    return new ClientTlsConfig(true, List.of(), false);
  }

  /** Verify against the CA certificates in {@code caFile} only. */
  public static ClientTlsConfig caFile(Path caFile) {
    return new ClientTlsConfig(false, List.of(caFile), false);
  }

  /**
   * Verify against the system trust store plus the CA in {@code caFile}, e.g. a local server's
   * development CA ({@link DevelopmentCertificates#caCertificateFile}).
   */
  public static ClientTlsConfig systemTrustAnd(Path caFile) {
    return new ClientTlsConfig(true, List.of(caFile), false);
  }

  /**
   * Skip certificate and hostname verification. Anyone on the path can impersonate the server: for
   * tests and local experiments only. Each connect logs a warning.
   */
  public static ClientTlsConfig insecureSkipVerification() {
    return new ClientTlsConfig(false, List.of(), true);
  }
}
