/**
 * The Felix process: configuration, wiring of transport and broker, HTTP health/metrics/admin
 * endpoints and graceful shutdown. Built by the single-node broker issue.
 */
package dev.felix.server;
