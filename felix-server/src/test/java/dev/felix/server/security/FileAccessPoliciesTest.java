package dev.felix.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAccessPoliciesTest {
  private static final String PUBLISH =
      "tenants: {acme: {roles: {p: [{actions: [stream.publish], resources: ['*']}]},"
          + " bindings: [{role: p, principals: [svc]}]}}";
  private static final Principal SVC = new Principal("svc", "acme", Set.of(), AuthMethod.JWT);

  @TempDir Path dir;

  private final List<FileAccessPolicies.LoadResult> loads = new ArrayList<>();

  private void write(Path file, String text, int secondsLater) throws Exception {
    Files.writeString(file, text);
    // Set the time explicitly: two writes within the file system's timestamp granularity would
    // otherwise look like one version.
    Files.setLastModifiedTime(
        file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z").plusSeconds(secondsLater)));
  }

  @Test
  void reloadsAChangedFileAndKeepsThePolicyWhenTheChangeIsInvalid() throws Exception {
    Path file = dir.resolve("policy.yaml");
    write(file, "tenants: {}", 0);
    try (FileAccessPolicies policies =
        FileAccessPolicies.start(file, Duration.ofHours(1), loads::add)) {
      PolicySnapshot first = policies.current();
      assertThat(first.allows(SVC, Action.STREAM_PUBLISH, "acme", "a", "b")).isFalse();

      policies.pollOnce();
      assertThat(policies.current()).isSameAs(first); // unchanged file: same snapshot
      assertThat(loads).isEmpty();

      write(file, PUBLISH, 10);
      policies.pollOnce();
      assertThat(policies.current().allows(SVC, Action.STREAM_PUBLISH, "acme", "a", "b")).isTrue();

      PolicySnapshot good = policies.current();
      write(file, "tenants: {acme: {roles: [oops]}}", 20);
      policies.pollOnce();
      assertThat(policies.current()).isSameAs(good);
      policies.pollOnce(); // the bad version is not re-read (nor re-logged) every second
      assertThat(loads)
          .containsExactly(
              FileAccessPolicies.LoadResult.LOADED, FileAccessPolicies.LoadResult.REJECTED);
    }
  }

  @Test
  void refusesToStartWithAnInvalidFile() throws Exception {
    Path file = dir.resolve("policy.json");
    write(file, "{\"tenants\": {\"acme\": {\"roles\": {\"r\": [{\"actions\": [\"x\"]}]}}}}", 0);
    assertThatThrownBy(() -> FileAccessPolicies.start(file, Duration.ofSeconds(1), loads::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown action 'x'");
    assertThatThrownBy(
            () ->
                FileAccessPolicies.start(
                    dir.resolve("missing.yaml"), Duration.ofSeconds(1), loads::add))
        .hasMessageContaining("missing.yaml");
  }

  @Test
  void replaceOverridesUntilTheFileChanges() throws Exception {
    Path file = dir.resolve("policy.yaml");
    write(file, PUBLISH, 0);
    try (FileAccessPolicies policies =
        FileAccessPolicies.start(file, Duration.ofHours(1), loads::add)) {
      policies.replace(PolicySnapshot.denyAll());
      assertThat(policies.current()).isSameAs(PolicySnapshot.denyAll());
      write(file, PUBLISH + "\n", 5);
      policies.pollOnce();
      assertThat(policies.current().allows(SVC, Action.STREAM_PUBLISH, "acme", "a", "b")).isTrue();
    }
  }
}
