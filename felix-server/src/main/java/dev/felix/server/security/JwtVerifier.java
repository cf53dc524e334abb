package dev.felix.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.error.UnavailableException;
import dev.felix.wire.Names;
import java.io.IOException;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies JWT bearer tokens: signature against the issuer's public keys (RSA or EC; symmetric and
 * unsigned tokens are refused), then the claims ({@link ClaimsCheck}), then builds the {@link
 * Principal} from {@code sub}, the tenant claim and the groups claim.
 *
 * <p>Keys from a JWKS URL are cached for {@link JwtSettings#jwksCacheTtl()}; a token signed with an
 * unknown key id triggers a fetch (at most once per {@link JwtSettings#jwksMinRefreshInterval()}),
 * which is how a key rotation at the issuer is picked up without a restart. A fetch blocks the
 * calling thread (bounded by 2 s connect and read timeouts), so callers on an event loop must hand
 * verification to another thread.
 *
 * <p>Thread-safe (the Nimbus processor and key sources are).
 */
public final class JwtVerifier {
  private static final Set<JWSAlgorithm> ALGORITHMS = allowedAlgorithms();
  private static final int FETCH_TIMEOUT_MS = 2_000;
  private static final int JWKS_MAX_BYTES = 1024 * 1024;

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final JwtSettings settings;

  JwtVerifier(JWKSource<SecurityContext> keys, JwtSettings settings, Clock clock) {
    this.settings = settings;
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    processor.setJWTClaimsSetVerifier(
        new ClaimsCheck(settings.issuer(), settings.audience(), clock));
  }

  /**
   * A verifier for {@code settings}.
   *
   * @throws IllegalArgumentException when the keys file is unreadable or the URL unusable
   */
  public static JwtVerifier create(JwtSettings settings, Clock clock) {
    return new JwtVerifier(keySource(settings), settings, clock);
  }

  /**
   * The principal a token proves.
   *
   * @throws AuthException {@code UNAUTHENTICATED} naming what is wrong (bad signature, expired,
   *     wrong issuer or audience, no tenant)
   * @throws UnavailableException {@code UNAVAILABLE} when the issuer's keys cannot be fetched
   */
  public Principal verify(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token.trim(), null);
    } catch (KeySourceException e) {
      throw new UnavailableException(
          ErrorCode.UNAVAILABLE, "cannot fetch the token issuer's keys: " + e.getMessage(), e);
    } catch (ParseException e) {
      throw new AuthException(ErrorCode.UNAUTHENTICATED, "the token is not a JWT", e);
    } catch (BadJOSEException | JOSEException e) {
      throw new AuthException(ErrorCode.UNAUTHENTICATED, "token rejected: " + e.getMessage(), e);
    }
    return principal(claims);
  }

  private Principal principal(JWTClaimsSet claims) {
    Object tenant = claims.getClaim(settings.tenantClaim());
    if (!(tenant instanceof String tenantName) || !Names.isValid(tenantName)) {
      throw new AuthException(
          ErrorCode.UNAUTHENTICATED,
          "token rejected: claim '" + settings.tenantClaim() + "' must name the tenant");
    }
    Set<String> groups = new HashSet<>();
    Object groupClaim = claims.getClaim(settings.groupsClaim());
    if (groupClaim instanceof String single) {
      groups.add(single);
    } else if (groupClaim instanceof List<?> list) {
      for (Object group : list) {
        if (group instanceof String name) {
          groups.add(name);
        }
      }
    }
    return new Principal(claims.getSubject(), tenantName, groups, AuthMethod.JWT);
  }

  private static JWKSource<SecurityContext> keySource(JwtSettings settings) {
    if (settings.keysFile() != null) {
      try {
        return new ImmutableJWKSet<>(JWKSet.load(settings.keysFile().toFile()));
      } catch (IOException | ParseException e) {
        throw new IllegalArgumentException(
            "cannot read the JWK set " + settings.keysFile() + ": " + e.getMessage(), e);
      }
    }
    URL url = jwksUrl(settings.jwksUrl());
    return JWKSourceBuilder.create(
            url, new DefaultResourceRetriever(FETCH_TIMEOUT_MS, FETCH_TIMEOUT_MS, JWKS_MAX_BYTES))
        .cache(settings.jwksCacheTtl().toMillis(), FETCH_TIMEOUT_MS * 2L)
        .rateLimited(settings.jwksMinRefreshInterval().toMillis())
        .refreshAheadCache(false)
        .build();
  }

  /** https, or http to a loopback address only (local test issuers): keys must not be spoofable. */
  private static URL jwksUrl(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    boolean loopbackHttp = scheme.equals("http") && isLoopback(uri.getHost());
    if (!scheme.equals("https") && !loopbackHttp) {
      throw new IllegalArgumentException(
          "the JWKS URL must use https (http only to a loopback address): " + uri);
    }
    try {
      return uri.toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a usable JWKS URL: " + uri, e);
    }
  }

  private static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    if (host.equals("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
      return false; // never resolve names here: only literal addresses count as loopback
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static Set<JWSAlgorithm> allowedAlgorithms() {
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    algorithms.addAll(JWSAlgorithm.Family.RSA);
    algorithms.addAll(JWSAlgorithm.Family.EC);
    return Set.copyOf(algorithms);
  }
}
