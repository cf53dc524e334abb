/**
 * The metadata store: tenants, namespaces, explicitly created memory streams, caches and access
 * policies, as one immutable {@link dev.felix.server.metadata.MetadataSnapshot} behind {@link
 * dev.felix.server.metadata.MetadataStore}. The embedded store keeps it in the data directory; a
 * replicated store (Apache Ratis) will implement the same interface. Only the admin API writes it;
 * the data path never reads it (it reads the broker and the access policies, both in memory).
 */
package dev.felix.server.metadata;
