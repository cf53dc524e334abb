/**
 * Broker semantics (streams, queues, cache) over the storage layer. Knows neither QUIC nor HTTP:
 * the enforcer bans Netty and felix-transport here. Built by the single-node broker issue.
 */
package dev.felix.broker;
