/**
 * QUIC transport for Felix: server and client endpoints on Netty QUIC with TLS 1.3 and ALPN {@code
 * felix/1}, carrying wire frames. No QUIC library type leaves this module. Built by the single-node
 * broker issue.
 */
package dev.felix.transport;
