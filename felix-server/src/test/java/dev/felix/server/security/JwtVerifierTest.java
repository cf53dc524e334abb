package dev.felix.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {
  private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final TestIssuer issuer = new TestIssuer();

  @AfterEach
  void stopIssuer() {
    issuer.close();
  }

  private JwtVerifier verifier(Duration minRefresh) {
    return JwtVerifier.create(
        new JwtSettings(
            issuer.jwksUrl(),
            null,
            TestIssuer.ISSUER,
            TestIssuer.AUDIENCE,
            "tenant",
            "groups",
            Duration.ofMinutes(5),
            minRefresh),
        CLOCK);
  }

  private static void assertUnauthenticated(Runnable call, String reason) {
    assertThatThrownBy(call::run)
        .isInstanceOf(AuthException.class)
        .hasMessageContaining(reason)
        .extracting(e -> ((AuthException) e).code())
        .isEqualTo(ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void aValidTokenYieldsItsPrincipal() {
    Principal principal =
        verifier(Duration.ofSeconds(30)).verify(issuer.token("svc", "acme", NOW, c -> c));
    assertThat(principal)
        .isEqualTo(new Principal("svc", "acme", Set.of("writers"), AuthMethod.JWT));
  }

  @Test
  void rejectsAnExpiredToken() {
    String expired =
        issuer.token(
            "svc",
            "acme",
            NOW,
            c ->
                c.expirationTime(Date.from(NOW.minus(ClaimsCheck.MAX_CLOCK_SKEW).minusSeconds(1))));
    assertUnauthenticated(() -> verifier(Duration.ofSeconds(30)).verify(expired), "expired");
  }

  @Test
  void rejectsAForgedSignature() {
    // Same key id as the issuer's, different key: what a forger would try.
    ECKey forger = TestIssuer.newKey(issuer.key().getKeyID());
    String forged = TestIssuer.sign(forger, TestIssuer.claims("svc", "acme", NOW).build());
    assertUnauthenticated(() -> verifier(Duration.ofSeconds(30)).verify(forged), "rejected");
    assertUnauthenticated(() -> verifier(Duration.ofSeconds(30)).verify("not.a.jwt"), "");
  }

  @Test
  void rejectsTheWrongAudienceIssuerOrAMissingTenant() {
    JwtVerifier verifier = verifier(Duration.ofSeconds(30));
    assertUnauthenticated(
        () -> verifier.verify(issuer.token("svc", "acme", NOW, c -> c.audience("other"))),
        "audience");
    assertUnauthenticated(
        () -> verifier.verify(issuer.token("svc", "acme", NOW, c -> c.issuer("https://evil/"))),
        "issuer");
    assertUnauthenticated(
        () -> verifier.verify(issuer.token("svc", "acme", NOW, c -> c.claim("tenant", null))),
        "claim 'tenant'");
    assertUnauthenticated(
        () -> verifier.verify(issuer.token("svc", "acme", NOW, c -> c.claim("tenant", "a/b"))),
        "claim 'tenant'");
  }

  @Test
  void fetchesTheKeysOnceAndAgainAfterTheIssuerRotatesThem() {
    JwtVerifier verifier = verifier(Duration.ZERO.plusMillis(1));
    verifier.verify(issuer.token("svc", "acme", NOW, c -> c));
    verifier.verify(issuer.token("svc", "acme", NOW, c -> c));
    assertThat(issuer.fetches()).isEqualTo(1);

    issuer.rotate("k2");
    Principal afterRotation = verifier.verify(issuer.token("svc2", "acme", NOW, c -> c));
    assertThat(afterRotation.name()).isEqualTo("svc2");
    assertThat(issuer.fetches()).isEqualTo(2);
  }

  @Test
  void staticKeysFromAFile(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("jwks.json");
    Files.writeString(keys, new JWKSet(issuer.key().toPublicJWK()).toString());
    JwtVerifier verifier =
        JwtVerifier.create(
            JwtSettings.of(null, keys, TestIssuer.ISSUER, TestIssuer.AUDIENCE, "org", "groups"),
            CLOCK);
    assertThat(verifier.verify(issuer.token("svc", "x", NOW, c -> c.claim("org", "acme"))).tenant())
        .isEqualTo("acme");
    assertThat(issuer.fetches()).isZero();
  }

  @Test
  void refusesPlainHttpToARemoteIssuer() {
    assertThatThrownBy(
            () ->
                JwtVerifier.create(
                    JwtSettings.of(
                        java.net.URI.create("http://issuer.example.com/jwks.json"),
                        null,
                        TestIssuer.ISSUER,
                        TestIssuer.AUDIENCE,
                        "tenant",
                        "groups"),
                    CLOCK))
        .hasMessageContaining("must use https");
  }
}
