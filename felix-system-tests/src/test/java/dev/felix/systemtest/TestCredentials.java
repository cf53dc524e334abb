package dev.felix.systemtest;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.felix.transport.internal.PemFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Credentials for the security system tests: a token issuer (EC key, JWKS served on a loopback JDK
 * HttpServer) and a client CA issuing client certificates with Bouncy Castle, written as PEM files.
 */
final class TestCredentials implements AutoCloseable {
  static final String ISSUER = "https://issuer.test/";
  static final String AUDIENCE = "felix";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final ECKey signingKey;
  private final HttpServer jwks;
  private final KeyPair caKeys;
  private final X509Certificate ca;

  TestCredentials(Path dir) {
    this.dir = dir;
    try {
      signingKey = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
      jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      byte[] body =
          new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      jwks.createContext(
          "/jwks.json",
          exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      jwks.start();
      caKeys = keyPair();
      ca = certificate("CN=felix test client CA", caKeys, "CN=felix test client CA", caKeys, true);
      PemFiles.writeCertificates(caFile(), List.of(ca));
    } catch (JOSEException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String jwksUrl() {
    return "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json";
  }

  Path caFile() {
    return dir.resolve("client-ca.pem");
  }

  /** A valid token for {@code subject} in {@code tenant}, adjusted by {@code edit}. */
  String token(String subject, String tenant, UnaryOperator<JWTClaimsSet.Builder> edit) {
    return sign(signingKey, edit.apply(claims(subject, tenant)).build());
  }

  /** A token with the issuer's key id, signed by a key the issuer never published. */
  String forgedToken(String subject, String tenant) {
    try {
      ECKey forger = new ECKeyGenerator(Curve.P_256).keyID(signingKey.getKeyID()).generate();
      return sign(forger, claims(subject, tenant).build());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static JWTClaimsSet.Builder claims(String subject, String tenant) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .claim("tenant", tenant);
  }

  private static String sign(ECKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A client certificate for {@code subject} (e.g. {@code CN=svc,O=acme}) signed by the client CA;
   * returns {certificate file, key file}.
   */
  Path[] clientCertificate(String name, String subject) {
    try {
      KeyPair keys = keyPair();
      X509Certificate certificate =
          certificate(subject, keys, ca.getSubjectX500Principal().getName(), caKeys, false);
      Path cert = dir.resolve(name + ".pem");
      Path key = dir.resolve(name + "-key.pem");
      PemFiles.writeCertificates(cert, List.of(certificate));
      PemFiles.writePrivateKey(key, keys.getPrivate());
      return new Path[] {cert, key};
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(
      String subject, KeyPair keys, String issuer, KeyPair issuerKeys, boolean authority)
      throws GeneralSecurityException {
    Instant now = Instant.now();
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              new X500Name(issuer),
              new BigInteger(64, RANDOM),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              new X500Name(subject),
              keys.getPublic());
      if (authority) {
        builder
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build a test certificate", e);
    }
  }

  @Override
  public void close() {
    jwks.stop(0);
  }
}
