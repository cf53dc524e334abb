package dev.felix.transport.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues X.509 certificates with Bouncy Castle: a self-signed CA and server certificates signed by
 * it. Used for development certificates and by tests. Keys and signatures use the JDK's own
 * providers; Bouncy Castle only builds the certificate structures, so no security provider is
 * registered globally. Stateless.
 */
public final class CertificateIssuer {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A certificate and the key pair it certifies. */
  public record Issued(X509Certificate certificate, KeyPair keyPair) {}

  private CertificateIssuer() {}

  /** A new key pair: {@code "EC"} (P-256) or {@code "RSA"} (2048 bits). */
  public static KeyPair newKeyPair(String algorithm) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      } else {
        generator.initialize(2048, RANDOM);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + algorithm + " key pair", e);
    }
  }

  /** A self-signed CA that may sign end-entity certificates only (path length 0). */
  public static Issued certificateAuthority(
      String commonName, String keyAlgorithm, Instant notBefore, Instant notAfter) {
    KeyPair keys = newKeyPair(keyAlgorithm);
    X500Name name = name(commonName);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name, serial(), Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  utils.createSubjectKeyIdentifier(keys.getPublic()));
      return new Issued(sign(builder, keys), keys);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }

  /**
   * A TLS server certificate signed by {@code ca} for the given DNS names and IP addresses (subject
   * alternative names: the only names TLS clients check).
   */
  public static Issued serverCertificate(
      Issued ca,
      String keyAlgorithm,
      List<String> dnsNames,
      List<String> ipAddresses,
      Instant notBefore,
      Instant notAfter) {
    KeyPair keys = newKeyPair(keyAlgorithm);
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
    ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    String commonName = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
    int usage =
        keyAlgorithm.equals("RSA")
            ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
            : KeyUsage.digitalSignature;
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  ca.certificate(),
                  serial(),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  name(commonName),
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(names.toArray(new GeneralName[0])))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  utils.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  utils.createAuthorityKeyIdentifier(ca.certificate()));
      return new Issued(sign(builder, ca.keyPair()), keys);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the server certificate", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      var contentSigner =
          new JcaContentSignerBuilder(PemFiles.signatureAlgorithm(signer.getPrivate()))
              .build(signer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot create the certificate signer", e);
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Felix")
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  private static BigInteger serial() {
    // 127 random bits: positive, unique, and unpredictable as the CA/B baseline asks.
    return new BigInteger(127, RANDOM).setBit(0);
  }
}
