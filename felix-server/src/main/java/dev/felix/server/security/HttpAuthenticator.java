package dev.felix.server.security;

import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import java.util.Locale;

/**
 * Authenticates HTTP requests of the admin API with the same JWT bearer tokens as the data plane
 * ({@code Authorization: Bearer <token>}). The admin API calls it; {@code /live}, {@code /ready}
 * and {@code /metrics} stay open. Failures are counted and audited. Thread-safe; may block on a
 * JWKS fetch, so call it from HTTP worker threads.
 */
public final class HttpAuthenticator {
  private static final String BEARER = "bearer ";

  private final Authenticator authenticator;
  private final SecurityEvents events;

  HttpAuthenticator(Authenticator authenticator, SecurityEvents events) {
    this.authenticator = authenticator;
    this.events = events;
  }

  /** {@link #authenticate(String, String)} without a remote address for the audit log. */
  public Principal authenticate(String authorizationHeader) {
    return authenticate(authorizationHeader, null);
  }

  /**
   * The principal of an HTTP request.
   *
   * @param authorizationHeader the {@code Authorization} header value, or null when absent
   * @param remote the client's address for the audit log, or null
   * @return the principal the bearer token proves
   * @throws AuthException {@code UNAUTHENTICATED} (answer HTTP 401) when the header is missing, not
   *     a bearer token, or the token is invalid
   * @throws dev.felix.error.UnavailableException when the issuer's keys cannot be fetched (503)
   */
  public Principal authenticate(String authorizationHeader, String remote) {
    try {
      if (authorizationHeader == null || authorizationHeader.isBlank()) {
        throw new AuthException(ErrorCode.UNAUTHENTICATED, "missing Authorization header");
      }
      String header = authorizationHeader.trim();
      if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
        throw new AuthException(
            ErrorCode.UNAUTHENTICATED, "the Authorization header must be 'Bearer <token>'");
      }
      Principal principal = authenticator.verifyToken(header.substring(BEARER.length()).trim());
      events.authenticated(principal);
      return principal;
    } catch (FelixException e) {
      events.authenticationFailed("jwt", "http", e.getMessage(), remote);
      throw e;
    }
  }
}
