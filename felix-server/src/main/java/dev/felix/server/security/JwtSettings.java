package dev.felix.server.security;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How JWT bearer tokens are verified: where the issuer's public keys come from (a JWKS URL, cached
 * and refreshed, or a static JWK set file), and which claims must hold.
 *
 * @param jwksUrl the issuer's JWKS document ({@code https}, or {@code http} on a loopback address
 *     for tests); null when {@code keysFile} is used
 * @param keysFile a JWK set file read once at start; null when {@code jwksUrl} is used
 * @param issuer the required {@code iss} claim
 * @param audience a value the {@code aud} claim must contain
 * @param tenantClaim the claim naming the principal's tenant
 * @param groupsClaim the claim listing the principal's groups (optional in tokens)
 * @param jwksCacheTtl how long a fetched key set is used before it is fetched again
 * @param jwksMinRefreshInterval the shortest time between two fetches triggered by an unknown key
 *     id (key rotation), so that forged key ids cannot make the server hammer the issuer
 */
public record JwtSettings(
    URI jwksUrl,
    Path keysFile,
    String issuer,
    String audience,
    String tenantClaim,
    String groupsClaim,
    Duration jwksCacheTtl,
    Duration jwksMinRefreshInterval) {
  /** Five minutes: short enough for revoked keys to go soon, long enough to spare the issuer. */
  public static final Duration DEFAULT_JWKS_CACHE_TTL = Duration.ofMinutes(5);

  /** Thirty seconds between fetches caused by unknown key ids. */
  public static final Duration DEFAULT_JWKS_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

  public JwtSettings {
    if ((jwksUrl == null) == (keysFile == null)) {
      throw new IllegalArgumentException("JWT keys come from exactly one of a JWKS URL or a file");
    }
    if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("JWT verification needs an issuer and an audience");
    }
    Objects.requireNonNull(tenantClaim, "tenantClaim");
    Objects.requireNonNull(groupsClaim, "groupsClaim");
    Objects.requireNonNull(jwksCacheTtl, "jwksCacheTtl");
    Objects.requireNonNull(jwksMinRefreshInterval, "jwksMinRefreshInterval");
  }

  /** Settings with the default JWKS cache behaviour. */
  public static JwtSettings of(
      URI jwksUrl,
      Path keysFile,
      String issuer,
      String audience,
      String tenantClaim,
      String groupsClaim) {
    return new JwtSettings(
        jwksUrl,
        keysFile,
        issuer,
        audience,
        tenantClaim,
        groupsClaim,
        DEFAULT_JWKS_CACHE_TTL,
        DEFAULT_JWKS_MIN_REFRESH_INTERVAL);
  }
}
