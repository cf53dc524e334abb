package dev.felix.server.security;

import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Decides who a connecting client is from what it presented: a token in Hello wins (verified as a
 * JWT); without one, a client certificate the TLS handshake verified; without either, the client is
 * refused. Failures are counted and audited. Thread-safe; may block on a JWKS fetch.
 */
final class Authenticator {
  private final JwtVerifier jwt;
  private final SecurityEvents events;

  /**
   * @param jwt null when this server accepts no tokens
   */
  Authenticator(JwtVerifier jwt, SecurityEvents events) {
    this.jwt = jwt;
    this.events = events;
  }

  /**
   * The principal of a connection.
   *
   * @param token the Hello token (empty for none)
   * @param chain the verified client certificate chain (empty for none)
   * @throws AuthException {@code UNAUTHENTICATED}
   */
  Principal authenticate(byte[] token, List<X509Certificate> chain, String remote) {
    String method = token.length > 0 ? "jwt" : chain.isEmpty() ? "none" : "certificate";
    try {
      Principal principal;
      if (token.length > 0) {
        principal = verifyToken(new String(token, StandardCharsets.UTF_8));
      } else if (!chain.isEmpty()) {
        principal = CertificatePrincipals.of(chain);
      } else {
        throw new AuthException(
            ErrorCode.UNAUTHENTICATED,
            "authentication required: send a token in Hello or present a client certificate");
      }
      events.authenticated(principal);
      return principal;
    } catch (FelixException e) {
      events.authenticationFailed(method, "hello", e.getMessage(), remote);
      throw e;
    }
  }

  /** Verifies a bearer token (QUIC Hello or HTTP), without counting or auditing. */
  Principal verifyToken(String token) {
    if (jwt == null) {
      throw new AuthException(
          ErrorCode.UNAUTHENTICATED,
          "this server accepts no tokens (no JWT issuer configured); use a client certificate");
    }
    return jwt.verify(token);
  }
}
