package dev.felix.server.session;

/**
 * What HelloOk tells a client about the server it reached.
 *
 * @param serverId this broker's id
 * @param region the sovereign region of the cluster
 */
public record ServerIdentity(String serverId, String region) {}
