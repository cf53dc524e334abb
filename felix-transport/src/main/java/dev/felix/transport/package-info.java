/**
 * QUIC transport for Felix: server and client endpoints on Netty QUIC with TLS 1.3 and ALPN {@code
 * felix/1}, carrying wire frames in the Felix stream layout (one control stream, server-opened
 * subscription streams, client-opened request streams).
 *
 * <p>Entry points: {@link dev.felix.transport.TransportServer}, {@link
 * dev.felix.transport.TransportClient}; settings: {@link dev.felix.transport.TransportConfig},
 * {@link dev.felix.transport.ServerTlsConfig}, {@link dev.felix.transport.ClientTlsConfig}. No
 * Netty or QUIC library type appears in this package; they live in {@code
 * dev.felix.transport.internal}. See {@code docs/transport.md}.
 *
 * <p><b>Threading:</b> each connection belongs to one event-loop thread; every listener of the
 * connection and its streams runs there and must not block.
 */
package dev.felix.transport;
