/**
 * The admin API: JSON over the HTTP port, under {@code /admin/v1}. This version manages streams
 * (create with storage, fsync and retention; list; describe; delete); the metadata and security
 * issue adds the other resources and authentication. See {@code docs/admin-api.md}.
 */
package dev.felix.server.admin;
