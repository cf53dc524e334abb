/**
 * The admin API: JSON over the HTTP port, under {@code /admin/v1}. Resources: tenants, namespaces,
 * streams, caches, consumer groups (read-only, empty until groups exist), access policies and the
 * cluster (region, server id, version). {@link dev.felix.server.admin.AdminRoutes} lists every
 * route; changes go through {@link dev.felix.server.admin.MetadataConductor}, which keeps the
 * broker, the metadata store and the access policies in step. See {@code docs/admin-api.md}.
 */
package dev.felix.server.admin;
