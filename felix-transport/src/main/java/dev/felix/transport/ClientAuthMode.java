package dev.felix.transport;

import java.util.Locale;

/**
 * Whether the server asks connecting clients for a TLS certificate (mTLS). The certificate, when
 * presented, must lead to the configured client CA or the handshake fails; what the certificate
 * means (which principal, which tenant) is the server's business, not the transport's.
 */
public enum ClientAuthMode {
  /** Clients are not asked for a certificate. */
  NONE,
  /** Clients are asked; one without a certificate still connects (and must authenticate later). */
  REQUEST,
  /** A client without a valid certificate fails the TLS handshake. */
  REQUIRE;

  /**
   * Parses {@code none}, {@code request} or {@code require} (any case).
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static ClientAuthMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "client auth mode must be none, request or require: '" + text + "'", e);
    }
  }
}
