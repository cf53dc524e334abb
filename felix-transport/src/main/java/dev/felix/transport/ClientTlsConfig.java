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
 * @param clientCertificateFile PEM certificate chain presented to servers that ask for one (mTLS),
 *     or null
 * @param clientKeyFile PEM private key of {@code clientCertificateFile}, or null; both or neither
 */
public record ClientTlsConfig(
    boolean trustSystemStore,
    List<Path> caFiles,
    boolean insecure,
    Path clientCertificateFile,
    Path clientKeyFile) {

  public ClientTlsConfig {
    caFiles = List.copyOf(caFiles);
    if ((clientCertificateFile == null) != (clientKeyFile == null)) {
      throw new IllegalArgumentException(
          "a client certificate needs its private key and the other way round");
    }
    if (insecure && (trustSystemStore || !caFiles.isEmpty())) {
      throw new IllegalArgumentException("insecure TLS takes no trust settings");
    }
    if (!insecure && !trustSystemStore && caFiles.isEmpty()) {
      throw new IllegalArgumentException("TLS verification needs the system trust store or a CA");
    }
  }

  /** Verify against the system trust store: the default. */
  public static ClientTlsConfig systemTrust() {
    return new ClientTlsConfig(true, List.of(), false, null, null);
  }

  /** Verify against the CA certificates in {@code caFile} only. */
  public static ClientTlsConfig caFile(Path caFile) {
    return new ClientTlsConfig(false, List.of(caFile), false, null, null);
  }

  /**
   * Verify against the system trust store plus the CA in {@code caFile}, e.g. a local server's
   * development CA ({@link DevelopmentCertificates#caCertificateFile}).
   */
  public static ClientTlsConfig systemTrustAnd(Path caFile) {
    return new ClientTlsConfig(true, List.of(caFile), false, null, null);
  }

  /**
   * Skip certificate and hostname verification. Anyone on the path can impersonate the server: for
   * tests and local experiments only. Each connect logs a warning.
   */
  public static ClientTlsConfig insecureSkipVerification() {
    return new ClientTlsConfig(false, List.of(), true, null, null);
  }

  /**
   * This configuration presenting a client certificate (mTLS) to servers that ask for one.
   *
   * @param certificateFile PEM certificate chain, the client's certificate first
   * @param keyFile PEM private key (PKCS#8, PKCS#1 or SEC1) of that certificate
   */
  public ClientTlsConfig withClientCertificate(Path certificateFile, Path keyFile) {
    return new ClientTlsConfig(trustSystemStore, caFiles, insecure, certificateFile, keyFile);
  }

  /** True when a client certificate is configured. */
  public boolean hasClientCertificate() {
    return clientCertificateFile != null;
  }
}
