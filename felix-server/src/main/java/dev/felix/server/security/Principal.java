package dev.felix.server.security;

import dev.felix.wire.Names;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated client: who it is, the one tenant it belongs to, and the groups its credentials
 * carry (token groups, or certificate organisational units). Policies bind roles to names and
 * groups; the tenant bounds everything the principal can ever touch.
 *
 * @param name the token's subject, or the certificate's common name
 * @param tenant the tenant from the token's tenant claim or the certificate's organisation
 * @param groups groups the principal belongs to (may be empty)
 * @param method how it authenticated
 */
public record Principal(String name, String tenant, Set<String> groups, AuthMethod method) {
  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(method, "method");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a principal needs a name");
    }
    if (tenant == null || !Names.isValid(tenant)) {
      throw new IllegalArgumentException(
          "a principal's tenant must be a valid name ([A-Za-z0-9._-], 1-128): '" + tenant + "'");
    }
    groups = Set.copyOf(groups);
  }

  @Override
  public String toString() {
    return name + "@" + tenant + " (" + method + ")";
  }
}
