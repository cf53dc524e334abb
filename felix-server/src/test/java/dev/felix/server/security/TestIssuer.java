package dev.felix.server.security;

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
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A token issuer for tests: EC P-256 signing keys and a JWKS endpoint on a loopback JDK HttpServer
 * that serves the current key's public half (rotate to change it) and counts fetches.
 */
final class TestIssuer implements AutoCloseable {
  static final String ISSUER = "https://issuer.test/";
  static final String AUDIENCE = "felix";

  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile ECKey key;

  TestIssuer() {
    key = newKey("k1");
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/jwks.json",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  static ECKey newKey(String keyId) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  URI jwksUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
  }

  int fetches() {
    return fetches.get();
  }

  ECKey key() {
    return key;
  }

  /** The issuer now signs with (and publishes) a new key. */
  void rotate(String keyId) {
    key = newKey(keyId);
  }

  /** Valid claims for {@code subject} in {@code tenant}, expiring an hour after {@code now}. */
  static JWTClaimsSet.Builder claims(String subject, String tenant, Instant now) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(3600)))
        .claim("tenant", tenant)
        .claim("groups", List.of("writers"));
  }

  /** A token signed by the current key. */
  String token(
      String subject, String tenant, Instant now, UnaryOperator<JWTClaimsSet.Builder> edit) {
    return sign(key, edit.apply(claims(subject, tenant, now)).build());
  }

  static String sign(ECKey signingKey, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).build(),
              claims);
      jwt.sign(new ECDSASigner(signingKey));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
