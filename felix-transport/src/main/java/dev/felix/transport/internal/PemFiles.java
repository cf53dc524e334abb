package dev.felix.transport.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes PEM certificates and private keys. Every error names the file, so that a bad
 * {@code FELIX_TLS_CERT}/{@code FELIX_TLS_KEY} is obvious at start. Stateless.
 */
public final class PemFiles {
  private static final Base64.Encoder PEM_BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private PemFiles() {}

  /** All certificates in {@code file}, in file order (server certificate first in a chain). */
  public static List<X509Certificate> readCertificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) cert);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(
            "TLS certificate file " + file + " holds no certificate");
      }
      return out;
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(
          "TLS certificate file " + file + " cannot be read as PEM: " + e.getMessage(), e);
    }
  }

  /**
   * The private key in {@code file}: PKCS#8 ({@code PRIVATE KEY}), or the older PKCS#1 ({@code RSA
   * PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) forms. Encrypted keys are refused: the server
   * has no way to ask for a passphrase.
   */
  public static PrivateKey readPrivateKey(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (item instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (item instanceof PKCS8EncryptedPrivateKeyInfo || item instanceof PEMEncryptedKeyPair) {
          throw new IllegalArgumentException(
              "TLS private key file " + file + " is encrypted; give an unencrypted PKCS#8 key");
        }
      }
      throw new IllegalArgumentException("TLS private key file " + file + " holds no private key");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "TLS private key file " + file + " cannot be read as PEM: " + e.getMessage(), e);
    }
  }

  /**
   * Fails unless {@code key} belongs to {@code certificate}: a mismatch would otherwise surface
   * only as failing handshakes. Checked by signing a probe with the key and verifying it with the
   * certificate's public key, which works for every key type.
   */
  public static void requireMatching(
      PrivateKey key, X509Certificate certificate, Path keyFile, Path certificateFile) {
    if (!matches(key, certificate.getPublicKey())) {
      throw new IllegalArgumentException(
          "TLS private key "
              + keyFile
              + " does not belong to the certificate in "
              + certificateFile);
    }
  }

  static boolean matches(PrivateKey key, PublicKey publicKey) {
    String algorithm = signatureAlgorithm(key);
    try {
      byte[] probe = "felix key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default ->
          throw new IllegalArgumentException(
              "unsupported TLS key algorithm " + key.getAlgorithm() + " (use RSA or EC)");
    };
  }

  /** Writes the certificates as PEM, atomically (temp file then rename). */
  public static void writeCertificates(Path file, List<X509Certificate> certificates)
      throws IOException {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        appendPem(pem, "CERTIFICATE", certificate.getEncoded());
      } catch (CertificateException e) {
        throw new IOException(
            "cannot encode certificate " + certificate.getSubjectX500Principal(), e);
      }
    }
    writeAtomically(file, pem.toString(), false);
  }

  /** Writes the key as unencrypted PKCS#8 PEM, readable by the owner only where POSIX allows. */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    StringBuilder pem = new StringBuilder();
    appendPem(pem, "PRIVATE KEY", key.getEncoded());
    writeAtomically(file, pem.toString(), true);
  }

  private static void appendPem(StringBuilder out, String type, byte[] der) {
    out.append("-----BEGIN ").append(type).append("-----\n");
    out.append(PEM_BASE64.encodeToString(der)).append('\n');
    out.append("-----END ").append(type).append("-----\n");
  }

  private static void writeAtomically(Path file, String content, boolean ownerOnly)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp;
    if (ownerOnly && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      temp =
          Files.createTempFile(
              dir,
              ".felix",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      temp = Files.createTempFile(dir, ".felix", ".tmp");
    }
    try {
      Files.writeString(temp, content, StandardCharsets.US_ASCII);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
