package dev.felix.transport.internal;

import dev.felix.transport.ClientAuthMode;
import dev.felix.transport.ClientTlsConfig;
import dev.felix.transport.DevelopmentCertificates;
import dev.felix.transport.ServerTlsConfig;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds quiche/BoringSSL TLS 1.3 contexts with ALPN {@code felix/1} for both sides. QUIC always
 * runs TLS 1.3, so there is no protocol version to choose. Stateless.
 */
final class SslContexts {
  /** The one application protocol Felix speaks; mandatory on both sides (QUIC-NOTES trap 5). */
  static final String ALPN = "felix/1";

  private static final Logger LOG = LoggerFactory.getLogger(SslContexts.class);

  private SslContexts() {}

  /** The server context: key material from the PEM files or the development certificate. */
  static QuicSslContext server(ServerTlsConfig tls) {
    Path chainFile = tls.certificateChainFile();
    Path keyFile = tls.privateKeyFile();
    if (tls.isDevelopment()) {
      DevelopmentCertificates.Material dev =
          DevelopmentCertificates.ensure(tls.developmentDataDir());
      chainFile = dev.certificateChainFile();
      keyFile = dev.privateKeyFile();
    }
    List<X509Certificate> chain = PemFiles.readCertificates(chainFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    PemFiles.requireMatching(key, chain.get(0), keyFile, chainFile);
    warnIfExpiring(chain.get(0), chainFile);
    QuicSslContextBuilder builder =
        QuicSslContextBuilder.forServer(key, null, chain.toArray(new X509Certificate[0]))
            .applicationProtocols(ALPN)
            .earlyData(false);
    if (tls.clientAuth() != ClientAuthMode.NONE) {
      // BoringSSL checks the client's chain through this trust manager during the handshake, so a
      // certificate from any other CA never reaches the server's session layer.
      builder
          .trustManager(trustManager(List.of(), tls.clientCaFile()))
          .clientAuth(
              tls.clientAuth() == ClientAuthMode.REQUIRE
                  ? ClientAuth.REQUIRE
                  : ClientAuth.OPTIONAL);
      LOG.info(
          "TLS: client certificates {} (CA {})",
          tls.clientAuth() == ClientAuthMode.REQUIRE ? "required" : "requested",
          tls.clientCaFile());
    }
    return builder.build();
  }

  /** A client context and, when verifying, the trust manager that records failures. */
  record Client(QuicSslContext context, RecordingTrustManager trustManager) {}

  /**
   * The client context. Hostname verification ("HTTPS" endpoint identification: subject alternative
   * names, IP addresses included) is on whenever the chain is verified.
   */
  static Client client(ClientTlsConfig tls, String alpn) {
    QuicSslContextBuilder builder = QuicSslContextBuilder.forClient().applicationProtocols(alpn);
    RecordingTrustManager trustManager = null;
    if (tls.insecure()) {
      builder
          .trustManager(InsecureTrustManagerFactory.INSTANCE)
          .endpointIdentificationAlgorithm(null);
    } else {
      trustManager = new RecordingTrustManager(trustManager(tls));
      builder.trustManager(trustManager).endpointIdentificationAlgorithm("HTTPS");
    }
    if (tls.hasClientCertificate()) {
      List<X509Certificate> chain = PemFiles.readCertificates(tls.clientCertificateFile());
      PrivateKey key = PemFiles.readPrivateKey(tls.clientKeyFile());
      PemFiles.requireMatching(key, chain.get(0), tls.clientKeyFile(), tls.clientCertificateFile());
      builder.keyManager(key, null, chain.toArray(new X509Certificate[0]));
    }
    return new Client(builder.earlyData(false).build(), trustManager);
  }

  /** The application protocol the handshake agreed on, or null. */
  static String negotiatedAlpn(QuicChannel channel) {
    SSLEngine engine = channel.sslEngine();
    return engine == null ? null : engine.getApplicationProtocol();
  }

  private static X509ExtendedTrustManager trustManager(ClientTlsConfig tls) {
    try {
      return trustManager(
          tls.trustSystemStore() ? List.of(systemTrustAnchors()) : List.of(),
          tls.caFiles().toArray(new Path[0]));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the TLS trust store", e);
    }
  }

  /** A JDK trust manager over {@code anchors} plus the CA certificates in {@code caFiles}. */
  private static X509ExtendedTrustManager trustManager(
      List<X509Certificate> anchors, Path... caFiles) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int index = 0;
      for (X509Certificate anchor : anchors) {
        store.setCertificateEntry("system-" + index++, anchor);
      }
      for (Path caFile : caFiles) {
        for (X509Certificate ca : PemFiles.readCertificates(caFile)) {
          store.setCertificateEntry("ca-" + index++, ca);
        }
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS trust store", e);
    }
  }

  private static X509Certificate[] systemTrustAnchors() throws GeneralSecurityException {
    TrustManagerFactory system =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    system.init((KeyStore) null);
    for (TrustManager manager : system.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }

  private static void warnIfExpiring(X509Certificate certificate, Path file) {
    Instant notAfter = certificate.getNotAfter().toInstant();
    Instant now = Instant.now();
    if (notAfter.isBefore(now)) {
      LOG.error(
          "TLS: the server certificate in {} EXPIRED at {}; clients will refuse it",
          file,
          notAfter);
    } else if (notAfter.isBefore(now.plus(Duration.ofDays(14)))) {
      LOG.warn("TLS: the server certificate in {} expires at {}", file, notAfter);
    }
  }
}
