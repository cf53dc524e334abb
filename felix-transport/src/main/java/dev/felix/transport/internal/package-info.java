/**
 * Netty QUIC implementation of the transport. Not API: only {@code dev.felix.transport} uses it.
 */
package dev.felix.transport.internal;
