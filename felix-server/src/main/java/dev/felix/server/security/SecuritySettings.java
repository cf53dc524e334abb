package dev.felix.server.security;

import java.nio.file.Path;

/**
 * The security part of the server configuration.
 *
 * @param authEnabled clients must authenticate and every data-plane call is authorized
 * @param jwt token verification, or null when tokens are not accepted
 * @param policyFile the access policy file (reloaded on change), or null: with authentication on,
 *     everything is then denied until a policy is put in place
 * @param clientCertificates the TLS layer asks clients for certificates (request or require)
 * @param auditMaxFileBytes size at which an audit file is rotated
 * @param auditMaxFiles audit files kept
 */
public record SecuritySettings(
    boolean authEnabled,
    JwtSettings jwt,
    Path policyFile,
    boolean clientCertificates,
    long auditMaxFileBytes,
    int auditMaxFiles) {

  /** Authentication off, the embedded default. */
  public static SecuritySettings disabled() {
    return new SecuritySettings(false, null, null, false, 16L * 1024 * 1024, 10);
  }
}
