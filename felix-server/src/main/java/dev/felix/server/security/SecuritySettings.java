package dev.felix.server.security;

import java.nio.file.Path;
import java.util.Set;

/**
 * The security part of the server configuration.
 *
 * @param authEnabled clients must authenticate and every data-plane call is authorized
 * @param jwt token verification, or null when tokens are not accepted
 * @param policyFile the access policy file (reloaded on change), or null: with authentication on,
 *     everything is then denied until a policy is put in place
 * @param bootstrapAdmins principals ({@code name@tenant}) that hold {@code admin} on every resource
 *     of their own tenant in the admin API, whatever the policy says: how the first policies are
 *     written when no policy file is used. No data-plane rights.
 * @param clientCertificates the TLS layer asks clients for certificates (request or require)
 * @param auditMaxFileBytes size at which an audit file is rotated
 * @param auditMaxFiles audit files kept
 */
public record SecuritySettings(
    boolean authEnabled,
    JwtSettings jwt,
    Path policyFile,
    Set<String> bootstrapAdmins,
    boolean clientCertificates,
    long auditMaxFileBytes,
    int auditMaxFiles) {
  public SecuritySettings {
    bootstrapAdmins = Set.copyOf(bootstrapAdmins);
  }

  /** Authentication off, the embedded default. */
  public static SecuritySettings disabled() {
    return new SecuritySettings(false, null, null, Set.of(), false, 16L * 1024 * 1024, 10);
  }
}
