package dev.felix.server.security;

/** How a principal proved who it is. */
public enum AuthMethod {
  /** A JWT bearer token (in Hello, or an HTTP Authorization header). */
  JWT,
  /** A TLS client certificate verified against the client CA (mTLS). */
  CERTIFICATE
}
