package dev.felix.server.security;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The claim rules of a Felix token, checked after the signature: issuer, audience, expiry
 * (required) and not-before, against an injected clock so that tests need not wait. The tenant
 * claim is checked when the principal is built. Stateless apart from its settings.
 */
final class ClaimsCheck implements JWTClaimsSetVerifier<SecurityContext> {
  /** Tolerated clock difference between the issuer and this server. */
  static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);

  private final String issuer;
  private final String audience;
  private final Clock clock;

  ClaimsCheck(String issuer, String audience, Clock clock) {
    this.issuer = issuer;
    this.audience = audience;
    this.clock = clock;
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    Instant now = clock.instant();
    if (!issuer.equals(claims.getIssuer())) {
      throw new BadJWTException("token issuer '" + claims.getIssuer() + "' is not accepted");
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
      throw new BadJWTException("token audience does not include '" + audience + "'");
    }
    Date expiry = claims.getExpirationTime();
    if (expiry == null) {
      throw new BadJWTException("token has no expiry (exp)");
    }
    if (expiry.toInstant().plus(MAX_CLOCK_SKEW).isBefore(now)) {
      throw new BadJWTException("token expired at " + expiry.toInstant());
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && notBefore.toInstant().minus(MAX_CLOCK_SKEW).isAfter(now)) {
      throw new BadJWTException("token is not valid before " + notBefore.toInstant());
    }
    if (claims.getSubject() == null || claims.getSubject().isBlank()) {
      throw new BadJWTException("token has no subject (sub)");
    }
  }
}
