package dev.felix.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.AuthException;
import dev.felix.error.ErrorCode;
import dev.felix.server.audit.AuditLog;
import dev.felix.server.audit.AuditReader;
import dev.felix.wire.message.CacheRef;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySnapshotTest {
  private static final String POLICY =
      """
      tenants:
        acme:
          roles:
            producer:
              - actions: [stream.publish]
                resources: ["orders/*"]
            reader:
              - actions: [stream.subscribe, cache.read]
                resources: ["*/audit-*", "shared/prices"]
            everything:
              - actions: [stream.publish, stream.subscribe, queue.consume, cache.read, cache.write, admin]
                resources: ["*"]
          bindings:
            - role: producer
              principals: [orders-service]
            - role: reader
              groups: [analysts]
            - role: everything
              principals: [acme-admin]
        globex:
          roles:
            all:
              - actions: [stream.publish]
                resources: ["*"]
          bindings:
            - role: all
              principals: [orders-service]
      """;

  private final PolicySnapshot policy = PolicyParser.parse(POLICY);

  private static Principal acme(String name, String... groups) {
    return new Principal(name, "acme", Set.of(groups), AuthMethod.JWT);
  }

  @Test
  void patternsMatchNamespaceAndNameGlobs() {
    Principal orders = acme("orders-service");
    assertThat(policy.allows(orders, Action.STREAM_PUBLISH, "acme", "orders", "eu")).isTrue();
    assertThat(policy.allows(orders, Action.STREAM_PUBLISH, "acme", "orders", "us-west")).isTrue();
    assertThat(policy.allows(orders, Action.STREAM_PUBLISH, "acme", "billing", "eu")).isFalse();
    assertThat(policy.allows(orders, Action.STREAM_SUBSCRIBE, "acme", "orders", "eu")).isFalse();

    Principal analyst = acme("ana", "analysts");
    assertThat(policy.allows(analyst, Action.STREAM_SUBSCRIBE, "acme", "ops", "audit-2030"))
        .isTrue();
    assertThat(policy.allows(analyst, Action.CACHE_READ, "acme", "shared", "prices")).isTrue();
    assertThat(policy.allows(analyst, Action.CACHE_READ, "acme", "shared", "prices2")).isFalse();
    assertThat(policy.allows(analyst, Action.CACHE_WRITE, "acme", "shared", "prices")).isFalse();
    assertThat(policy.allows(analyst, Action.STREAM_SUBSCRIBE, "acme", "ops", "audit")).isFalse();
  }

  @Test
  void deniesByDefault() {
    assertThat(policy.allows(acme("stranger"), Action.STREAM_SUBSCRIBE, "acme", "orders", "eu"))
        .isFalse();
    assertThat(
            PolicySnapshot.denyAll()
                .allows(acme("acme-admin"), Action.STREAM_PUBLISH, "acme", "a", "b"))
        .isFalse();
    assertThat(PolicyParser.parse("").allows(acme("x"), Action.ADMIN, "acme", "a", "b")).isFalse();
    Principal unbound = new Principal("x", "initech", Set.of(), AuthMethod.CERTIFICATE);
    assertThat(policy.allows(unbound, Action.STREAM_PUBLISH, "initech", "a", "b")).isFalse();
  }

  @Test
  void neverCrossesTenants() {
    // acme-admin may do everything in acme, nothing in globex; the globex binding of a principal
    // with the same name does not apply to an acme principal, nor the other way round.
    Principal admin = acme("acme-admin");
    assertThat(policy.allows(admin, Action.STREAM_PUBLISH, "acme", "any", "thing")).isTrue();
    assertThat(policy.allows(admin, Action.STREAM_PUBLISH, "globex", "any", "thing")).isFalse();
    assertThat(policy.allows(acme("orders-service"), Action.STREAM_PUBLISH, "globex", "x", "y"))
        .isFalse();
    Principal globexOrders = new Principal("orders-service", "globex", Set.of(), AuthMethod.JWT);
    assertThat(policy.allows(globexOrders, Action.STREAM_PUBLISH, "globex", "x", "y")).isTrue();
    assertThat(policy.allows(globexOrders, Action.STREAM_PUBLISH, "acme", "orders", "eu"))
        .isFalse();
  }

  @Test
  void readsJsonToo() {
    PolicySnapshot json =
        PolicyParser.parse(
            "{\"tenants\": {\"acme\": {\"roles\": {\"w\": [{\"actions\": [\"cache.write\"],"
                + " \"resources\": [\"sessions/*\"]}]}, \"bindings\": [{\"role\": \"w\","
                + " \"groups\": [\"web\"]}]}}}");
    assertThat(json.allows(acme("a", "web"), Action.CACHE_WRITE, "acme", "sessions", "s1"))
        .isTrue();
    assertThat(json.allows(acme("a"), Action.CACHE_WRITE, "acme", "sessions", "s1")).isFalse();
  }

  @Test
  void rejectsTyposWithTheirLocation() {
    assertThatThrownBy(
            () ->
                PolicyParser.parse(
                    "tenants: {acme: {roles: {r: [{actions: [stream.publsh], resources: ['*']}]}}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenants.acme.roles.r[0].actions")
        .hasMessageContaining("stream.publsh");
    assertThatThrownBy(
            () ->
                PolicyParser.parse("tenants: {acme: {bindings: [{role: ghost, principals: [a]}]}}"))
        .hasMessageContaining("'ghost' is not a role");
    assertThatThrownBy(() -> PolicyParser.parse("tenant: {}"))
        .hasMessageContaining("unknown key 'tenant'");
    assertThatThrownBy(
            () ->
                PolicyParser.parse(
                    "tenants: {acme: {roles: {r: [{actions: [admin], resources: [a/b/c]}]}}}"))
        .hasMessageContaining("namespace/name");
  }

  @Test
  void sessionCacheFollowsTheSnapshotIdentity(@TempDir Path auditDir) {
    AuditLog audit = AuditLog.start(auditDir, 1 << 20, 2, 16, Clock.systemUTC());
    SecurityEvents events =
        new SecurityEvents(new SecurityMetrics(new PrometheusRegistry(), audit), audit);
    AccessPolicies policies = AccessPolicies.fixed(policy);
    SessionAccess access = new SessionAccess(acme("ana", "analysts"), policies, events, "remote");
    CacheRef prices = new CacheRef("acme", "shared", "prices");
    access.check(Action.CACHE_READ, prices);
    access.check(Action.CACHE_READ, prices);
    assertThat(access.cachedDecisions()).isEqualTo(1);

    policies.replace(PolicyParser.parse(POLICY.replace("shared/prices", "shared/other")));
    assertThatThrownBy(() -> access.check(Action.CACHE_READ, prices))
        .isInstanceOf(AuthException.class)
        .hasMessage("permission denied: cache.read on acme/shared/prices")
        .extracting(e -> ((AuthException) e).code())
        .isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(access.cachedDecisions()).isEqualTo(1);
    // Another tenant's cache gets the same answer, whether or not it exists anywhere.
    assertThatThrownBy(() -> access.check(Action.CACHE_READ, new CacheRef("globex", "a", "b")))
        .hasMessage("permission denied: cache.read on globex/a/b");
    audit.close();
    assertThat(AuditReader.read(auditDir, null, 10))
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("\"result\":\"denied\"", "ana"));
  }
}
