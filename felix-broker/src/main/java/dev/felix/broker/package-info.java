/**
 * Broker semantics over the storage layer: streams of shards, publishing with acks, subscriptions
 * as cursors with fan-out and back-pressure. Knows neither QUIC nor HTTP: the enforcer bans Netty
 * and felix-transport here. {@link dev.felix.broker.Broker} is the front door; {@link
 * dev.felix.broker.EventSink} is what a transport implements. See {@code docs/broker.md}.
 */
package dev.felix.broker;
