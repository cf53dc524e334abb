package dev.felix.server.config;

import dev.felix.server.security.JwtSettings;
import dev.felix.server.security.SecuritySettings;
import dev.felix.transport.ClientAuthMode;
import dev.felix.wire.Names;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Maps the FELIX_AUTH_*, FELIX_TLS_CLIENT_* and FELIX_AUDIT_* settings onto {@link
 * SecuritySettings}, checking the combinations that make no sense (authentication on with no way to
 * authenticate, a JWT issuer without an audience) once at start.
 */
final class SecurityConfigs {
  private SecurityConfigs() {}

  static ClientAuthMode clientAuth(SettingsSource source) {
    String mode =
        ValueParsers.oneOf(
            Settings.TLS_CLIENT_AUTH,
            source.raw(Settings.TLS_CLIENT_AUTH),
            Set.of("none", "request", "require"));
    return ClientAuthMode.parse(mode);
  }

  static Path clientCa(SettingsSource source, ClientAuthMode mode) {
    String ca = source.raw(Settings.TLS_CLIENT_CA);
    boolean given = ca != null && !ca.isBlank();
    if (mode != ClientAuthMode.NONE && !given) {
      throw ConfigurationException.invalid(
          Settings.TLS_CLIENT_CA,
          ca,
          "must name the client CA file when FELIX_TLS_CLIENT_AUTH is "
              + mode.name().toLowerCase(Locale.ROOT));
    }
    if (mode == ClientAuthMode.NONE && given) {
      throw ConfigurationException.invalid(
          Settings.TLS_CLIENT_CA, ca, "needs FELIX_TLS_CLIENT_AUTH request or require");
    }
    return given ? ValueParsers.path(Settings.TLS_CLIENT_CA, ca) : null;
  }

  static SecuritySettings security(SettingsSource source, ClientAuthMode clientAuth) {
    boolean enabled =
        ValueParsers.oneOf(
                Settings.AUTH_ENABLED, source.raw(Settings.AUTH_ENABLED), Set.of("true", "false"))
            .equals("true");
    JwtSettings jwt = jwt(source);
    if (enabled && jwt == null && clientAuth == ClientAuthMode.NONE) {
      throw new ConfigurationException(
          "FELIX_AUTH_ENABLED (auth.enabled) is true but clients have no way to authenticate: set"
              + " FELIX_AUTH_JWT_JWKS_URL or FELIX_AUTH_JWT_KEYS_FILE, or FELIX_TLS_CLIENT_AUTH"
              + " request|require");
    }
    String policy = blankToNull(source.raw(Settings.AUTH_POLICY_FILE));
    long maxFileBytes =
        ValueParsers.longInRange(
            Settings.AUDIT_MAX_FILE_BYTES,
            source.raw(Settings.AUDIT_MAX_FILE_BYTES),
            64 * 1024,
            1L << 32);
    int maxFiles =
        (int)
            ValueParsers.longInRange(
                Settings.AUDIT_MAX_FILES, source.raw(Settings.AUDIT_MAX_FILES), 1, 10_000);
    return new SecuritySettings(
        enabled,
        jwt,
        policy == null ? null : ValueParsers.path(Settings.AUTH_POLICY_FILE, policy),
        bootstrapAdmins(source.raw(Settings.AUTH_BOOTSTRAP_ADMINS)),
        clientAuth != ClientAuthMode.NONE,
        maxFileBytes,
        maxFiles);
  }

  /** {@code name@tenant,...}: each entry must name a principal and a valid tenant. */
  private static Set<String> bootstrapAdmins(String raw) {
    Set<String> admins = new LinkedHashSet<>();
    if (raw == null || raw.isBlank()) {
      return admins;
    }
    for (String entry : raw.split(",", -1)) {
      String admin = entry.trim();
      int at = admin.lastIndexOf('@');
      if (at < 1 || !Names.isValid(admin.substring(at + 1))) {
        throw ConfigurationException.invalid(
            Settings.AUTH_BOOTSTRAP_ADMINS,
            raw,
            "each entry must be name@tenant with a valid tenant name, was '" + admin + "'");
      }
      admins.add(admin);
    }
    return admins;
  }

  private static JwtSettings jwt(SettingsSource source) {
    String url = blankToNull(source.raw(Settings.AUTH_JWT_JWKS_URL));
    String file = blankToNull(source.raw(Settings.AUTH_JWT_KEYS_FILE));
    if (url == null && file == null) {
      return null;
    }
    if (url != null && file != null) {
      throw new ConfigurationException(
          "set FELIX_AUTH_JWT_JWKS_URL (auth.jwt_jwks_url) or FELIX_AUTH_JWT_KEYS_FILE"
              + " (auth.jwt_keys_file), not both");
    }
    String issuer = blankToNull(source.raw(Settings.AUTH_JWT_ISSUER));
    if (issuer == null) {
      throw ConfigurationException.invalid(
          Settings.AUTH_JWT_ISSUER, issuer, "is required when tokens are verified");
    }
    String audience = blankToNull(source.raw(Settings.AUTH_JWT_AUDIENCE));
    if (audience == null) {
      throw ConfigurationException.invalid(
          Settings.AUTH_JWT_AUDIENCE, audience, "is required when tokens are verified");
    }
    String tenantClaim = claim(source, Settings.AUTH_JWT_TENANT_CLAIM);
    String groupsClaim = claim(source, Settings.AUTH_JWT_GROUPS_CLAIM);
    URI jwksUrl = null;
    if (url != null) {
      try {
        jwksUrl = new URI(url);
      } catch (URISyntaxException e) {
        throw ConfigurationException.invalid(Settings.AUTH_JWT_JWKS_URL, url, "is not a URL");
      }
      String scheme = jwksUrl.getScheme();
      if (!"https".equals(scheme) && !"http".equals(scheme)) {
        throw ConfigurationException.invalid(
            Settings.AUTH_JWT_JWKS_URL, url, "must be an https URL");
      }
    }
    return JwtSettings.of(
        jwksUrl,
        file == null ? null : ValueParsers.path(Settings.AUTH_JWT_KEYS_FILE, file),
        issuer,
        audience,
        tenantClaim,
        groupsClaim);
  }

  private static String claim(SettingsSource source, Setting setting) {
    String claim = blankToNull(source.raw(setting));
    if (claim == null || !claim.matches("[A-Za-z0-9_.:/-]{1,128}")) {
      throw ConfigurationException.invalid(setting, claim, "must be a claim name");
    }
    return claim;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
