package dev.felix.transport;

import java.nio.file.Path;

/**
 * Where the server's TLS certificate comes from: PEM files, or (only when none is configured) a
 * development certificate generated under the data directory by {@link DevelopmentCertificates}.
 *
 * <p>Exactly one of the two forms is set: either both {@code certificateChainFile} and {@code
 * privateKeyFile}, or {@code developmentDataDir}.
 *
 * @param certificateChainFile PEM file with the server certificate first, then any intermediates
 * @param privateKeyFile PEM file with the unencrypted private key (PKCS#8 {@code PRIVATE KEY}; RSA
 *     or EC; PKCS#1 and SEC1 forms are accepted too)
 * @param developmentDataDir data directory under which {@code tls/} holds the development CA and
 *     certificate
 * @param clientAuth whether clients are asked for a certificate (mTLS)
 * @param clientCaFile PEM file with the CA certificates that client certificates must lead to;
 *     required unless {@code clientAuth} is {@link ClientAuthMode#NONE}, and only then null
 */
public record ServerTlsConfig(
    Path certificateChainFile,
    Path privateKeyFile,
    Path developmentDataDir,
    ClientAuthMode clientAuth,
    Path clientCaFile) {

  public ServerTlsConfig {
    if (clientAuth == null) {
      clientAuth = ClientAuthMode.NONE;
    }
    if ((clientAuth == ClientAuthMode.NONE) != (clientCaFile == null)) {
      throw new IllegalArgumentException(
          "client certificates (FELIX_TLS_CLIENT_AUTH request or require) need a client CA file"
              + " (FELIX_TLS_CLIENT_CA), and a client CA file needs one of those modes");
    }
    boolean files = certificateChainFile != null || privateKeyFile != null;
    if (files && (certificateChainFile == null || privateKeyFile == null)) {
      throw new IllegalArgumentException(
          "TLS needs both a certificate chain file (FELIX_TLS_CERT) and a private key file"
              + " (FELIX_TLS_KEY), or neither; got only "
              + (certificateChainFile == null ? "the key" : "the certificate"));
    }
    if (files == (developmentDataDir != null)) {
      throw new IllegalArgumentException(
          "TLS takes either certificate files or a development data directory, not both");
    }
  }

  /** Certificate chain and private key from PEM files. */
  public static ServerTlsConfig fromPemFiles(Path certificateChainFile, Path privateKeyFile) {
    return new ServerTlsConfig(
        certificateChainFile, privateKeyFile, null, ClientAuthMode.NONE, null);
  }

  /**
   * A development certificate kept under {@code dataDir/tls} (see {@link DevelopmentCertificates}).
   */
  public static ServerTlsConfig development(Path dataDir) {
    return new ServerTlsConfig(null, null, dataDir, ClientAuthMode.NONE, null);
  }

  /**
   * The server's rule: the PEM files when both are given, a development certificate under {@code
   * dataDir} when neither is.
   *
   * @param certificateChainFile null when not configured
   * @param privateKeyFile null when not configured
   * @throws IllegalArgumentException when only one of the two files is given
   */
  public static ServerTlsConfig resolve(
      Path certificateChainFile, Path privateKeyFile, Path dataDir) {
    if (certificateChainFile == null && privateKeyFile == null) {
      return development(dataDir);
    }
    return fromPemFiles(certificateChainFile, privateKeyFile);
  }

  /**
   * This configuration with client certificates requested or required.
   *
   * @param mode {@link ClientAuthMode#NONE} removes the client CA again
   * @param caFile PEM CA certificates that client certificates must lead to (null for NONE)
   */
  public ServerTlsConfig withClientAuth(ClientAuthMode mode, Path caFile) {
    return new ServerTlsConfig(
        certificateChainFile,
        privateKeyFile,
        developmentDataDir,
        mode,
        mode == ClientAuthMode.NONE ? null : caFile);
  }

  /** True when a development certificate is used. */
  public boolean isDevelopment() {
    return developmentDataDir != null;
  }
}
