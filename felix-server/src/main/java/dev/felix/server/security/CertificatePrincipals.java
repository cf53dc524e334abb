package dev.felix.server.security;

import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Maps a verified client certificate to a {@link Principal}: the subject's common name (CN) is the
 * principal's name, its organisation (O) the tenant, and each organisational unit (OU) a group. The
 * TLS handshake has already checked the chain against the client CA, so whoever controls that CA
 * decides tenants: issue client certificates from a CA dedicated to Felix. Stateless.
 */
public final class CertificatePrincipals {
  private CertificatePrincipals() {}

  /**
   * The principal of a certificate chain (its first certificate).
   *
   * @throws AuthException {@code UNAUTHENTICATED} when the subject lacks CN or O, or O is not a
   *     valid tenant name
   */
  public static Principal of(List<X509Certificate> chain) {
    if (chain.isEmpty()) {
      throw new AuthException(ErrorCode.UNAUTHENTICATED, "no client certificate");
    }
    String subject = chain.get(0).getSubjectX500Principal().getName();
    String name = null;
    String tenant = null;
    Set<String> groups = new HashSet<>();
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        String value = String.valueOf(rdn.getValue());
        switch (rdn.getType().toUpperCase(Locale.ROOT)) {
          case "CN" -> name = value;
          case "O" -> tenant = value;
          case "OU" -> groups.add(value);
          default -> {
            // C, L, ST, DC... carry no meaning for Felix.
          }
        }
      }
    } catch (InvalidNameException e) {
      throw new AuthException(
          ErrorCode.UNAUTHENTICATED, "client certificate subject is unreadable: " + subject, e);
    }
    if (name == null || tenant == null) {
      throw new AuthException(
          ErrorCode.UNAUTHENTICATED,
          "client certificate subject must carry CN (principal) and O (tenant): " + subject);
    }
    try {
      return new Principal(name, tenant, groups, AuthMethod.CERTIFICATE);
    } catch (IllegalArgumentException e) {
      throw new AuthException(
          ErrorCode.UNAUTHENTICATED, "client certificate: " + e.getMessage(), e);
    }
  }
}
