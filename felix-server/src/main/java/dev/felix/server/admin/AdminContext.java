package dev.felix.server.admin;

import dev.felix.broker.Broker;
import dev.felix.server.session.ServerIdentity;

/**
 * What the admin operations work on.
 *
 * @param broker streams and caches, for reads
 * @param metadata every change goes through it
 * @param identity server id and region
 * @param version the Felix build version
 */
record AdminContext(
    Broker broker, MetadataConductor metadata, ServerIdentity identity, String version) {}
